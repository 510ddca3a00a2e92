// The metaorder experiment behind docs/validation/square_root_law.md (issue 17, "square-root law
// emerges from book + makers"). One agent sells (or buys) Q lots as market-order children of
// `lotsPerChild` every `childIntervalMs` (a fixed rate, so the duration T grows with Q) into the
// default world's book — makers, arbitrageurs, noise traders — with no shock and no leveraged
// population. The same agent samples the venue every `sampleMs`: book mid, external (reference
// market) price and oracle. From the samples:
//
//   pre    = mean book mid over the 20 s before the first child
//   I(Q)   = side · (pre − mid at T)        T = start + children · childIntervalMs (one interval
//                                          after the last child: the makers have refreshed once)
//   decay  = side · (pre − mid at T + t)    for the requested lags t
//
// Goals: an honest, reproducible measurement on the ordinary world wiring (the agent enters as an
// `agents:` module entry). Non-goals: changing how the engine or the built-in agents behave.

import type { Agent, AgentAction, VenueView } from '../../agents/agent.js'
import { Simulation } from '../../engine/simulation.js'
import { buildWorld } from '../world.js'
import { parseScenario } from '../scenario.js'
import type { MeanInterval } from '../../analysis/report/sweep_statistics.js'
import { logLogSlope } from '../../analysis/log_log_slope.js'

export interface MetaorderParams {
  instrument: number
  side: 'buy' | 'sell'
  /** Q: total lots. */
  lots: number
  lotsPerChild: number
  childIntervalMs: number
  /** First child (a multiple of sampleMs). */
  startMs: number
  /** Sampling period of the venue's prices (divides childIntervalMs and startMs). */
  sampleMs: number
}

/** One observation: book mid, external and oracle prices (ticks). */
export interface PriceSample {
  tMs: number
  mid: number
  external: number
  oracle: number
}

/** Sells or buys `lots` in equal market-order children at a fixed rate, and samples prices. */
export class MetaorderTrader implements Agent {
  readonly subscriptions = [] as const
  readonly samples: PriceSample[] = []
  private remaining: number

  constructor(readonly name: string, readonly accounts: readonly number[], private readonly params: MetaorderParams) {
    if (params.childIntervalMs % params.sampleMs !== 0 || params.startMs % params.sampleMs !== 0) {
      throw new Error('metaorder: sampleMs must divide childIntervalMs and startMs')
    }
    this.remaining = params.lots
  }

  start(): AgentAction {
    return { wakeInMs: this.params.sampleMs }
  }

  onWake(view: VenueView): AgentAction {
    const p = this.params
    const i = p.instrument
    const bid = view.bestBid(i)
    const ask = view.bestAsk(i)
    const mid = bid > 0 && ask > 0 ? (bid + ask) / 2 : Math.max(bid, ask)
    this.samples.push({ tMs: view.nowMs, mid, external: view.externalTicks(i), oracle: view.oracleTicks(i) })
    const due = view.nowMs >= p.startMs && (view.nowMs - p.startMs) % p.childIntervalMs === 0
    if (!due || this.remaining <= 0) return { wakeInMs: p.sampleMs }
    const lots = Math.min(p.lotsPerChild, this.remaining)
    this.remaining -= lots
    const account = this.accounts[0] as number
    return { orders: [{ account, instrument: i, side: p.side, type: 'market', priceTicks: 0, lots }], wakeInMs: p.sampleMs }
  }
}

export interface MetaorderRun {
  seed: number
  side: 'buy' | 'sell'
  lots: number
  /** Execution rate (lots per second). */
  lotsPerSecond: number
  /** Lags after the end at which impact is read, in multiples of the duration T. */
  decayLagsT: readonly number[]
  /** Scenario fields merged over the experiment's base (e.g. { price: { volatilityPerStep: 0 } }). */
  overrides?: Record<string, unknown>
}

export interface MetaorderResult {
  /** Mean book mid before the first child (ticks). */
  preMid: number
  /** Duration T (ms). */
  durationMs: number
  /** Impact of the book mid at T (ticks, positive in the trade's direction). */
  peak: number
  /** Impact of the external (reference-market) price at T (ticks). */
  peakExternal: number
  /** Book-mid impact at T + k·T for each k of decayLagsT (ticks). */
  decay: number[]
  /** External-price impact at T + k·T (ticks). */
  decayExternal: number[]
  /** Lots the metaorder actually traded (a market order beyond the price band is cut). */
  filledLots: number
}

const PRE_MS = 30_000
/** The pre-trade reference averages the last PRE_WINDOW_MS before the first child (the first seconds: makers still arriving). */
const PRE_WINDOW_MS = 20_000
const SAMPLE_MS = 250
const CHILD_MS = 1000

/** The experiment's world: the default book, makers, arbitrageurs and noise traders; no shock, no leveraged population. */
export function metaorderScenario(run: MetaorderRun): Record<string, unknown> {
  const durationMs = durationOf(run)
  const endMs = PRE_MS + durationMs * (1 + Math.max(0, ...run.decayLagsT)) + SAMPLE_MS
  const { price, ...rest } = run.overrides ?? {}
  return {
    name: 'metaorder', durationMs: endMs,
    price: { shocks: [], ...(price as Record<string, unknown> | undefined) },
    population: { pairs: 0 },
    agents: [{
      module: 'metaorder', name: 'metaorder', capital: 50_000_000, latency: { minMs: 10, jitterMs: 0 },
      params: { side: run.side, lots: run.lots, lotsPerChild: run.lotsPerSecond, childIntervalMs: CHILD_MS, startMs: PRE_MS, sampleMs: SAMPLE_MS },
    }],
    ...rest,
  }
}

/** T: children × childIntervalMs (ms). */
function durationOf(run: MetaorderRun): number {
  return Math.ceil(run.lots / run.lotsPerSecond) * CHILD_MS
}

/** Runs one metaorder and reads its impact path from the agent's samples. */
export function runMetaorder(run: MetaorderRun): MetaorderResult {
  if (!Number.isInteger(run.lotsPerSecond) || run.lotsPerSecond < 1) throw new Error('metaorder: lotsPerSecond must be a positive integer')
  const scenario = parseScenario(metaorderScenario(run), 'metaorder experiment')
  let trader: MetaorderTrader | null = null
  const modules = new Map([['metaorder', (name: string, accounts: readonly number[], params: Record<string, unknown>) => {
    trader = new MetaorderTrader(name, accounts, params as unknown as MetaorderParams)
    return trader
  }]])
  const world = buildWorld(scenario, run.seed, modules)
  new Simulation(world.venue, world.drivers, { endMs: scenario.durationMs, checkpointEvery: 1_000_000 }).run()
  const samples = (trader as MetaorderTrader | null)?.samples ?? []
  const account = world.accounts.agents[0]![0]!
  const filledLots = Math.abs(world.venue.accounts.position(account, 0))
  return readImpact(samples, run, filledLots)
}

function readImpact(samples: readonly PriceSample[], run: MetaorderRun, filledLots: number): MetaorderResult {
  const sign = run.side === 'sell' ? 1 : -1
  const at = (tMs: number): PriceSample => {
    const s = samples[tMs / SAMPLE_MS - 1]
    if (s === undefined || s.tMs !== tMs) throw new Error(`metaorder: no sample at ${tMs} ms`)
    return s
  }
  const before = samples.filter((s) => s.tMs > PRE_MS - PRE_WINDOW_MS && s.tMs <= PRE_MS)
  const preMid = before.reduce((sum, s) => sum + s.mid, 0) / before.length
  const preExternal = before.reduce((sum, s) => sum + s.external, 0) / before.length
  const durationMs = durationOf(run)
  const end = PRE_MS + durationMs
  return {
    preMid, durationMs, filledLots,
    peak: sign * (preMid - at(end).mid),
    peakExternal: sign * (preExternal - at(end).external),
    decay: run.decayLagsT.map((k) => sign * (preMid - at(end + k * durationMs).mid)),
    decayExternal: run.decayLagsT.map((k) => sign * (preExternal - at(end + k * durationMs).external)),
  }
}

/** Peak impacts of one Q over seeds, with their mean and its 95% interval. */
export interface ImpactCell extends MeanInterval {
  lots: number
  peaks: number[]
}

/**
 * The exponent of I(Q) = c·Q^δ fitted to the seed means, with a 95% percentile interval from a
 * bootstrap over seeds (each replicate resamples the seeds with replacement, the same draw for
 * every Q, since one seed's runs share its noise traders). Replicates with a mean ≤ 0 are dropped
 * and counted.
 */
export function fitExponent(cells: readonly ImpactCell[], replicates = 2000): { slope: number; low: number; high: number; dropped: number } {
  const lots = cells.map((c) => c.lots)
  const slope = logLogSlope(lots, cells.map((c) => c.mean))
  const seeds = cells[0]!.peaks.length
  let state = 0x9e3779b9 // xorshift32: a fixed stream, so the interval is reproducible
  const next = (): number => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) % seeds
  }
  const slopes: number[] = []
  for (let r = 0; r < replicates; r++) {
    const pick = Array.from({ length: seeds }, next)
    const s = logLogSlope(lots, cells.map((c) => pick.reduce((sum, k) => sum + c.peaks[k]!, 0) / seeds))
    if (Number.isFinite(s)) slopes.push(s)
  }
  slopes.sort((a, b) => a - b)
  const q = (p: number) => slopes[Math.min(slopes.length - 1, Math.floor(p * slopes.length))] ?? Number.NaN
  return { slope, low: q(0.025), high: q(0.975), dropped: replicates - slopes.length }
}
