// The scenarios shipped in experiments/scenarios/: each validates, is named after its file, and
// the default demo file adds nothing to the embedded defaults (they are written in one place).

import { describe, expect, it } from 'vitest'
import { namedScenarioFile, namedScenarios, resolveScenario } from '../../experiments/named_scenarios.js'
import type { VenueEvent } from '../../engine/events.js'
import { Simulation } from '../../engine/simulation.js'
import { defaultScenario } from '../../experiments/scenario.js'
import { buildWorld } from '../../experiments/world.js'

describe('named scenarios', () => {
  it('ship the default demo, cross vs isolated, a thin-book flash crash, an oracle-lag cascade and fund exhaustion → ADL', () => {
    expect(namedScenarios()).toEqual(expect.arrayContaining([
      'default', 'isolated-margin', 'thin-book-flash-crash', 'oracle-lag-cascade', 'fund-exhaustion-adl', 'momentum-panic',
    ]))
  })

  it('fund-exhaustion-adl exhausts the backstop and then auto-deleverages', () => {
    const world = buildWorld(resolveScenario('fund-exhaustion-adl'), 7)
    const counts = new Map<string, number>()
    let firstAdl = -1
    let backstopBeforeAdl = 0
    new Simulation(world.venue, world.drivers, {
      endMs: resolveScenario('fund-exhaustion-adl').durationMs, checkpointEvery: 1e9,
      sinks: [{
        event: (e: VenueEvent) => {
          counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1)
          if (e.kind === 'AutoDeleverage' && firstAdl < 0) firstAdl = e.seq
          if (e.kind === 'BackstopTakeover' && firstAdl < 0) backstopBeforeAdl++
        },
        checkpoint() {},
      }],
    }).run()
    expect(counts.get('AutoDeleverage') ?? 0).toBeGreaterThan(0)
    expect(backstopBeforeAdl).toBeGreaterThan(0) // the fund took positions first
    expect(counts.get('LiquidatorTakeover') ?? 0).toBeGreaterThan(0)
    expect(counts.get('BadDebt') ?? 0).toBe(0)
  })

  it('momentum-panic: trend followers sell into the drop, panic sellers cut, and the mark falls further than in default', () => {
    const run = (name: string) => {
      const scenario = resolveScenario(name)
      const world = buildWorld(scenario, 7)
      const typeOf = new Map<number, string>()
      world.accounts.agents.forEach((accounts, n) => accounts.forEach((a) => typeOf.set(a, scenario.agents[n]!.type!)))
      const sold = new Map<string, number>()
      let minMark = Infinity
      new Simulation(world.venue, world.drivers, {
        endMs: 700_000, checkpointEvery: 1e9,
        sinks: [{
          event: (e: VenueEvent) => {
            if (e.kind === 'PlaceOrder' && e.side === 'sell' && e.t >= 600_000 && typeOf.has(e.account)) {
              sold.set(typeOf.get(e.account)!, (sold.get(typeOf.get(e.account)!) ?? 0) + e.lots)
            }
            if (e.kind === 'MarkPrice' && e.instrument === 0) minMark = Math.min(minMark, e.priceTicks)
          },
          checkpoint() {},
        }],
      }).run()
      return { sold, minMark }
    }
    const withAgents = run('momentum-panic')
    expect(withAgents.sold.get('trend_follower') ?? 0).toBeGreaterThan(0)
    expect(withAgents.sold.get('panic_seller') ?? 0).toBeGreaterThan(0)
    expect(withAgents.sold.get('value_trader') ?? 0).toBe(0) // it buys the dip
    // their selling walks the book and is carried to the reference market: a deeper trough (their
    // own de-risking spares some liquidations, so liquidated notional is about the same)
    expect(withAgents.minMark).toBeLessThan(run('default').minMark)
  })

  it('each validates and carries its file name as its name', () => {
    for (const name of namedScenarios()) expect(resolveScenario(name).name).toBe(name)
  })

  it('the default file equals the embedded default scenario', () => {
    expect(resolveScenario('default')).toEqual(defaultScenario())
  })

  it('names are not paths', () => {
    expect(namedScenarioFile('../package')).toBeNull()
    expect(namedScenarioFile('no-such-scenario')).toBeNull()
    expect(() => resolveScenario('no-such-scenario')).toThrow(/no-such-scenario: no such scenario file or named scenario \(named: .*default/)
  })
})
