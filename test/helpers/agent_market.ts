// A crafted market for testing one agent in the real loop: the crafted venue (1 lot·tick = 1
// cash unit, IM 20%, MM 10%, no fees; market orders checked at a 2% band), a deep market maker re-quoting around the oracle every
// 100 ms, a scripted oracle path, and the agent under test on its own account (with its
// latency). Every invariant is checked after every event.

import { deposit, openAccount, oraclePrice, type InputEvent, type VenueEvent } from '../../engine/events.js'
import { InvariantMonitor } from '../../engine/invariants.js'
import { LiquidationClock } from '../../engine/liquidation/liquidation_clock.js'
import { Prng } from '../../engine/prng.js'
import { ScriptDriver } from '../../engine/script_driver.js'
import { Simulation, type EventSink } from '../../engine/simulation.js'
import type { Agent } from '../../agents/agent.js'
import { AgentDriver } from '../../agents/agent_driver.js'
import { MarketMaker } from '../../agents/market_maker.js'
import { craftedVenueConfig, Venue } from './small_world.js'

export const FUND = 0
export const MAKER = 1
export const AGENT = 2
export const TEST_ASSET = 1

export interface AgentMarketRun {
  venue: Venue
  events: VenueEvent[]
  /** The agent's fills as signed lots (+ bought), in order. */
  trades: { t: number; lots: number; priceTicks: number }[]
}

/**
 * Runs `agent` (on account AGENT, funded with `cash` and `assetUnits` of TEST) until `endMs`
 * while the oracle follows `path` ([t, ticks], starting at 10,000 at t = 0).
 */
export function runAgentMarket(
  agent: (accounts: number[]) => Agent, path: readonly [number, number][], endMs: number,
  options: { cash?: number; assetUnits?: number; seed?: number; later?: { atMs: number; input: InputEvent }[] } = {},
): AgentMarketRun {
  const venue = new Venue(craftedVenueConfig({ marketOrderBandRate: 0.02 }))
  const setup: InputEvent[] = [
    openAccount(0, FUND), deposit(0, FUND, 1_000_000), openAccount(0, MAKER), deposit(0, MAKER, 1e12),
    openAccount(0, AGENT), deposit(0, AGENT, options.cash ?? 100_000),
    ...(options.assetUnits ? [deposit(0, AGENT, options.assetUnits, TEST_ASSET)] : []),
    oraclePrice(0, TEST_ASSET, 10_000, -1),
  ]
  const maker = new MarketMaker('maker', [MAKER], {
    instrument: 0, levels: 40, spacingTicks: 5, halfSpreadTicks: 2, lotsPerLevel: 1000, refreshMs: 100, maxInventoryLots: 1e9,
    resilience: 1, calmVolatility: 0, volatilityHalfLifeMs: 1000, withdrawVolatility: 0, withdrawInventoryLots: 0, reference: 'oracle',
  })
  const seed = options.seed ?? 1
  const subject = agent([AGENT])
  const events: VenueEvent[] = []
  const sink: EventSink = { event: (e) => events.push(e), checkpoint() {} }
  new Simulation(venue, [
    new ScriptDriver('setup', setup.map((input) => ({ atMs: 0, input }))),
    new ScriptDriver('oracle', path.map(([t, ticks]) => ({ atMs: t, input: oraclePrice(t, TEST_ASSET, ticks, -1) }))),
    new ScriptDriver('later', options.later ?? []),
    new LiquidationClock(),
    new AgentDriver(maker, new Prng(seed, 'maker'), { minMs: 0, jitterMs: 0 }),
    new AgentDriver(subject, new Prng(seed, subject.name), { minMs: 10, jitterMs: 20 }),
  ], { endMs, checkpointEvery: 1000, sinks: [sink, new InvariantMonitor(venue, true)] }).run()
  const trades = events.flatMap((e) => {
    if (e.kind !== 'Fill' || (e.taker !== AGENT && e.maker !== AGENT)) return []
    const bought = (e.taker === AGENT) === (e.side === 'buy')
    return [{ t: e.t, lots: bought ? e.lots : -e.lots, priceTicks: e.priceTicks }]
  })
  return { venue, events, trades }
}

/** A linear oracle path from `from` to `to` ticks between `startMs` and `endMs`, one point per `stepMs`. */
export function ramp(from: number, to: number, startMs: number, endMs: number, stepMs = 500): [number, number][] {
  const out: [number, number][] = []
  for (let t = startMs; t <= endMs; t += stepMs) out.push([t, Math.round(from + ((to - from) * (t - startMs)) / (endMs - startMs))])
  return out
}
