// The scenario's `agents:` list: built-in types and a researcher's module, run through the CLI
// (and in sweep worker threads), deterministic per seed; a bad module or entry fails on one line
// naming the module (or field) and what is wrong.

import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { VenueEvent } from '../../engine/events.js'
import { JournalReader } from '../../engine/journal/journal_reader.js'
import { Simulation } from '../../engine/simulation.js'
import { InvariantMonitor } from '../../engine/invariants.js'
import type { Agent } from '../../agents/agent.js'
import { AgentDriver } from '../../agents/agent_driver.js'
import { Prng } from '../../engine/prng.js'
import { loadAgentModules } from '../../experiments/agent_modules.js'
import { UserError } from '../../experiments/errors.js'
import { AGENT_TYPES, loadScenarioFile } from '../../experiments/scenario.js'
import { buildWorld } from '../../experiments/world.js'
import { runScenario } from '../../experiments/run_scenario.js'
import { cli } from '../helpers/cli.js'
import { smallScenario } from '../helpers/small_world.js'

const ROOT = join(import.meta.dirname, '..', '..')
const EXAMPLE = join(ROOT, 'experiments', 'examples', 'custom-agent.yaml')
const dir = mkdtempSync(join(tmpdir(), 'cascadelab-agents-'))

function journalEvents(file: string): VenueEvent[] {
  const reader = new JournalReader(file)
  const out: VenueEvent[] = []
  for (const frame of reader.frames()) if (frame.record.kind !== 'End' && frame.record.kind !== 'Checkpoint') out.push(frame.record as VenueEvent)
  return out
}

describe('a custom agent module named in a scenario', () => {
  it('runs from the CLI: the example stop-loss traders buy, then sell only after the drop', async () => {
    const out = join(dir, 'example')
    const r = cli('run', EXAMPLE, '--out', out, '--quiet')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const scenario = loadScenarioFile(EXAMPLE)
    const world = buildWorld(scenario, scenario.seed, await loadAgentModules(scenario))
    const stopLoss = new Set(world.accounts.agents[0])
    expect(stopLoss.size).toBe(10)
    const orders = journalEvents(join(out, 'journal.msgpack')).filter((e) => e.kind === 'PlaceOrder' && stopLoss.has(e.account))
    const buys = orders.filter((e) => e.kind === 'PlaceOrder' && e.side === 'buy')
    const sells = orders.filter((e) => e.kind === 'PlaceOrder' && e.side === 'sell')
    expect(new Set(buys.map((e) => (e as { account: number }).account)).size).toBe(10) // every one entered
    expect(sells.length).toBeGreaterThan(0)
    expect(sells.every((e) => e.t >= 60_000)).toBe(true) // the 6% drop starts at 60 s; a 2% stop cannot trigger before
  })

  it('is loaded in sweep worker threads too, giving the journal a run in the main thread gives', async () => {
    const sweep = join(dir, 'sweep.yaml')
    writeFileSync(sweep, `name: agents-sweep\nbase: ${EXAMPLE}\ndesign: grid\naxes:\n  - { path: agents.0.params.stopRate, values: [0.01, 0.03] }\nseeds: [1]\nset: { durationMs: 70000 }\n`)
    const out = join(dir, 'sweep-out')
    const r = cli('sweep', sweep, '--out', out, '--workers', '2', '--quiet')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const runs = readdirSync(join(out, 'runs')).map((id) => JSON.parse(readFileSync(join(out, 'runs', id, 'summary.json'), 'utf8')))
    const swept = runs.find((x) => x.sweep.params['agents.0.params.stopRate'] === 0.03)
    const scenario = loadScenarioFile(EXAMPLE)
    scenario.durationMs = 70_000
    scenario.agents[0]!.params.stopRate = 0.03
    const local = await runScenario(scenario, { outDir: join(dir, 'local'), seed: 1, timeSeries: false })
    expect(local.journal.sha256).toBe(swept.journal.sha256)
  })
})

describe('agents: entries', () => {
  const everyType = AGENT_TYPES.map((type) => ({ type, count: 2, capital: 300_000, ...(type === 'basis_trader' ? { collateral: { BTC: 3 } } : {}) }))

  it('every built-in type runs in one world with every invariant holding, and the same seed gives the same digest', () => {
    const run = (seed: number, check = false) => {
      const world = buildWorld(smallScenario({ durationMs: 60_000, agents: everyType }), seed)
      const sinks = check ? [new InvariantMonitor(world.venue, true)] : []
      return new Simulation(world.venue, world.drivers, { endMs: 60_000, checkpointEvery: 1000, sinks }).run()
    }
    const a = run(3, true)
    expect(run(3)).toEqual(a)
    expect(run(4).digest).not.toBe(a.digest)
    const world = buildWorld(smallScenario({ agents: everyType }), 3)
    expect(world.accounts.agents.map((x) => x.length)).toEqual(AGENT_TYPES.map(() => 2))
    const basis = world.accounts.agents[AGENT_TYPES.indexOf('basis_trader')]!
    expect(world.drivers.some((d) => d.name === 'basis_trader-1')).toBe(true)
    expect(basis.length).toBe(2)
  })

  it('bad entries are one-line errors naming the field', () => {
    expect(() => smallScenario({ agents: [{ count: 1 }] })).toThrow(/test: agents\.0: give either type .* or module \(a file\), not neither/)
    expect(() => smallScenario({ agents: [{ type: 'noise_trader', module: './x.js' }] })).toThrow(/agents\.0: .*not both/)
    expect(() => smallScenario({ agents: [{ type: 'trend_folower' }] })).toThrow(/test: agents\.0\.type: .*trend_folower/)
    expect(() => smallScenario({ agents: [{ type: 'trend_follower', params: { leverage: -2 } }] })).toThrow(/test: agents\.0\.params\.leverage: .*\(got -2\)/)
    expect(() => smallScenario({ agents: [{ type: 'trend_follower', params: { levrage: 2 } }] })).toThrow(/test: agents\.0\.params: .*levrage/)
    expect(() => smallScenario({ agents: [{ type: 'value_trader' }, { type: 'value_trader' }] })).toThrow(/agents\.1: another entry is also named "value_trader"/)
    expect(() => buildWorld(smallScenario({ agents: [{ type: 'noise_trader', instrument: 'ETH-PERP' }] }), 1)).toThrow(/agents\.0\.instrument: "ETH-PERP" is not a listed instrument/)
  })
})

describe('a bad agent module', () => {
  const module = (name: string, text: string) => {
    const file = join(dir, name)
    writeFileSync(file, text)
    return file
  }
  const load = async (file: string, params: Record<string, unknown> = {}) => {
    const scenario = smallScenario({ agents: [{ module: file, params }] })
    return buildWorld(scenario, 1, await loadAgentModules(scenario))
  }
  const failure = async (file: string) => {
    try {
      await load(file)
    } catch (error) {
      expect(error).toBeInstanceOf(UserError)
      return (error as Error).message
    }
    throw new Error('expected a failure')
  }

  it('names the module and what is missing', async () => {
    const missing = join(dir, 'nope.js')
    expect(await failure(missing)).toBe(`agent module ${missing}: cannot be loaded (no such file)`)
    const named = module('named.js', 'export class Trader {}\n')
    expect(await failure(named)).toBe(`agent module ${named}: exports no default class or factory function (it exports Trader; add \`export default\`)`)
    const noWake = module('no-wake.js', 'export default class { constructor(name, accounts) { this.name = name; this.accounts = accounts; this.subscriptions = [] } start() {} }\n')
    expect(await failure(noWake)).toBe(`agent module ${noWake}: the agent lacks onWake (a method)`)
    const badKinds = module('bad-kinds.js', 'export default (name, accounts) => ({ name, accounts, subscriptions: ["Fils"], start() {}, onWake() {} })\n')
    expect(await failure(badKinds)).toMatch(new RegExp(`agent module ${badKinds}: the agent subscribes to unknown event kind "Fils"; subscribes to events but lacks onEvent$`))
    const syntax = module('syntax.js', 'export default class {\n')
    expect(await failure(syntax)).toMatch(new RegExp(`agent module ${syntax}: cannot be loaded \\(`))
    const throws = module('throws.js', 'export default class { constructor() { throw new Error("needs params.size") } }\n')
    expect(await failure(throws)).toBe(`agent module ${throws}: constructing agent throws-0 failed: needs params.size`)
  })

  it('from the CLI: exit 2 on one line, no stack trace', () => {
    const scenarioFile = join(dir, 'bad-module.yaml')
    writeFileSync(scenarioFile, 'name: bad-module\ndurationMs: 1000\npopulation: { pairs: 1 }\nagents:\n  - module: ./named.js\n')
    module('named.js', 'export class Trader {}\n')
    const r = cli('run', scenarioFile, '--out', join(dir, 'bad-out'), '--quiet')
    expect(r.code).toBe(2)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/agent module .*named\.js: exports no default class or factory function/)
  })

  it('gets its params, and cannot act for an account it does not own', async () => {
    const spy = module('spy.js', `export default class {
      constructor(name, accounts, params) { this.name = name; this.accounts = [0, ...accounts]; this.subscriptions = []; this.params = params }
      start(view) { return { orders: [{ account: 0, instrument: 0, side: 'sell', type: 'market', priceTicks: 0, lots: 1 }] } }
      onWake() {}
    }\n`)
    const world = await load(spy, { size: 7 })
    const driver = world.drivers.find((d) => d.name === 'spy-0') as AgentDriver
    const agent = (driver as unknown as { agent: Agent & { params: unknown } }).agent
    expect(agent.params).toEqual({ instrument: 0, size: 7 })
    // it claims the insurance fund (account 0) among its accounts; the driver keeps the one the world gave it
    expect(() => new Simulation(world.venue, world.drivers, { endMs: 10, checkpointEvery: 100 }).run())
      .toThrow(/agent spy-0: acted for account 0, which it does not own/)
    expect(new AgentDriver(agent, new Prng(1, 'x'), { minMs: 0, jitterMs: 0 }, [5]).name).toBe('spy-0')
  })
})
