// Random mixes of built-in agents and distributed populations keep every engine invariant
// (value conservation, balanced open interest, uncrossed books, no negative equity left after a
// liquidation step) after every event, and agents act only for their own accounts.

import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { InvariantMonitor } from '../../engine/invariants.js'
import { Simulation, type EventSink } from '../../engine/simulation.js'
import type { VenueEvent } from '../../engine/events.js'
import { AGENT_TYPES } from '../../experiments/scenario.js'
import { buildWorld } from '../../experiments/world.js'
import { smallScenario } from '../helpers/small_world.js'

const mixArbitrary = fc.record({
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  counts: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: AGENT_TYPES.length, maxLength: AGENT_TYPES.length }),
  leverage: fc.double({ min: 1, max: 20, noNaN: true }),
  drop: fc.double({ min: -0.1, max: 0.2, noNaN: true }),
  population: fc.integer({ min: 0, max: 200 }),
  sigma: fc.double({ min: 0, max: 1.5, noNaN: true }),
  longShare: fc.double({ min: 0, max: 1, noNaN: true }),
  entrySpreadRate: fc.double({ min: 0, max: 0.05, noNaN: true }),
  isolated: fc.boolean(),
})

describe('agents and populations (property)', () => {
  it('keep every invariant after every event on random mixes', () => {
    fc.assert(
      fc.property(mixArbitrary, (m) => {
        const agents = AGENT_TYPES.map((type, k) => ({
          type, count: m.counts[k]!, capital: 200_000,
          ...(type === 'basis_trader' ? { collateral: { BTC: 2 } } : {}),
          params: type === 'trend_follower' || type === 'panic_seller'
            ? { leverage: m.leverage, ...(type === 'trend_follower' ? { lookbackMs: 5000, entryRate: 0.002 } : {}) }
            : {},
        }))
        const scenario = smallScenario({
          durationMs: 40_000,
          price: { shocks: [{ atMs: 15_000, drop: m.drop, durationMs: 3000 }] },
          population: { pairs: 10 },
          agents,
          populations: [{
            count: m.population, collateral: { median: 5000, sigma: m.sigma }, leverage: { mix: [{ value: 3, weight: 1 }, { value: 20, weight: 1 }] },
            longShare: m.longShare, entrySpreadRate: m.entrySpreadRate, marginMode: m.isolated ? 'isolated' : 'cross',
          }],
        })
        const world = buildWorld(scenario, m.seed)
        const owned = new Set(world.accounts.agents.flat())
        const monitor = new InvariantMonitor(world.venue, true)
        let agentOrders = 0
        const sink: EventSink = {
          event(e: VenueEvent) { if (e.kind === 'PlaceOrder' && owned.has(e.account)) agentOrders++ },
          checkpoint() {},
        }
        const result = new Simulation(world.venue, world.drivers, { endMs: scenario.durationMs, checkpointEvery: 1000, sinks: [monitor, sink] }).run()
        expect(monitor.checked).toBe(result.events)
        // noise traders always trade, makers always quote, panic sellers always open a position
        const alwaysAct = new Set(['noise_trader', 'market_maker', 'panic_seller'])
        if (m.counts.some((c, k) => c > 0 && alwaysAct.has(AGENT_TYPES[k]!))) expect(agentOrders).toBeGreaterThan(0)
      }),
      { numRuns: 30, seed: 20261124 },
    )
  })
})
