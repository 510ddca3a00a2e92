// An oracle network publishing one asset's external price to the venue, built from composable
// rules (each off at its neutral value):
//
//   sources     N sources read the external price, each `lagMs` behind and with relative noise
//               `noiseRate` (its own random stream); the oracle takes their median (Chainlink's
//               aggregation; the mean of the middle two for even N)
//   TWAP        publish the time-weighted average of that median over the last `twapWindowMs`
//   deviation   publish when the candidate moved ≥ `deviationRate` from the last publication
//   heartbeat   publish at least every `heartbeatMs`
//   latency     each publication reaches the venue `latencyMs` later
//   faults      scripted outages (nothing is published) and stale periods (the feed repeats the
//               price it had when it went stale), each announced to the venue by an OracleStatus input
//
//   venue share the venue's own last trade price enters the published index with weight
//               `venueShare` (its share of global volume): index = (1 − w)·sources + w·last trade,
//               as index providers weight each venue's price by its volume. This is how the venue's
//               own book — its depth, its makers — moves its index and so its oracle-based mark;
//               the rest of the index moves only through trades placed on the reference market
//               (arbitrage). 0 = the index is the outside market alone. A last trade older than
//               VENUE_TRADE_STALE_MS leaves the index (providers drop venues that stopped trading).
//
// The oracle evaluates on every external observation, on heartbeats, at fault boundaries and —
// when a source lags or a TWAP runs, since then the candidate moves between observations —
// every `pollMs`. Each publication names as cause the external observation its value came from —
// unless, since the previous publication, the venue's own impact (price − exogenous price of the
// observations) moved the price further than the exogenous path did: then it names the latest
// impact observation in that span, whose cause is the liquidation fill behind it. A late, coarse
// oracle thus keeps the cascade tree's links through the outside market instead of crediting
// every jump to the exogenous step that happened to cross the threshold.

import { NO_CAUSE, oraclePrice, oracleStatus, type EventKind, type OracleState, type VenueEvent } from '../events.js'
import type { Prng } from '../prng.js'
import type { Driver, DriverContext } from '../simulation.js'

/** A venue whose last trade is older than this (simulated ms) is left out of the index. */
export const VENUE_TRADE_STALE_MS = 60_000

export interface OracleSourceConfig {
  /** How far behind the external price this source reads (ms). */
  lagMs: number
  /** Standard deviation of the source's relative error per reading (0.0005 = 5 bp). */
  noiseRate: number
}

export interface OracleFault {
  kind: 'outage' | 'stale'
  atMs: number
  durationMs: number
}

export interface OracleConfig {
  /** Asset whose price is published (its ticks). */
  asset: number
  /** Publication delay (ms). */
  latencyMs: number
  /** Maximum time between publications (ms). */
  heartbeatMs: number
  /** Minimum relative move that triggers a publication before the heartbeat (0.001 = 10 bp). */
  deviationRate: number
  /** At least one source; [{ lagMs: 0, noiseRate: 0 }] reads the external price as it is. */
  sources: readonly OracleSourceConfig[]
  /** Time-weighted average window (ms; 0 = the median itself). */
  twapWindowMs: number
  /** Evaluation period when a source lags or a TWAP runs (ms). */
  pollMs: number
  faults: readonly OracleFault[]
  /** Weight of the venue's own last trade price in the index (0 = none). */
  venueShare?: number
  /** The venue instrument whose trades enter the index (a book-executed perpetual on the asset; -1 = none). */
  venueInstrument?: number
}

/** The first oracle: one exact source, no TWAP, no faults. */
export function simpleOracle(asset: number, latencyMs: number, heartbeatMs: number, deviationRate: number): OracleConfig {
  return { asset, latencyMs, heartbeatMs, deviationRate, sources: [{ lagMs: 0, noiseRate: 0 }], twapWindowMs: 0, pollMs: 1000, faults: [] }
}

/** Publishes OraclePrice inputs from ExternalPrice observations. */
export class Oracle implements Driver {
  readonly subscriptions: readonly EventKind[]
  private context!: DriverContext
  // External observations still needed by a lagged source: times, prices, seqs (oldest first).
  private readonly seenMs: number[] = [-Infinity]
  private readonly seenTicks: number[]
  private readonly seenSeq: number[] = [NO_CAUSE]
  // Per observation: its exogenous price (ticks) and whether it carries the venue's impact (a cause).
  private readonly seenExogenous: number[]
  private readonly seenImpact: boolean[] = [false]
  // The median's history for the TWAP: evaluation times and values.
  private readonly medianMs: number[] = []
  private readonly medianTicks: number[] = []
  private readonly readings: number[] = []
  private readonly readingSeqs: number[] = []
  private readonly readingIndex: number[] = []
  private publishedTicks = 0
  // The exogenous and impact parts (ticks) of the observation behind the last publication, and its seq.
  private publishedExogenous: number
  private publishedImpact = 0
  private publishedSeq = NO_CAUSE
  private medianIndex = 0
  private publishedAtMs = -Infinity
  private status: OracleState = 'live'
  private pendingWakeMs = -1
  private readonly polls: boolean
  private readonly lagMaxMs: number
  private readonly boundaries: { atMs: number; status: OracleState }[]
  private readonly venueShare: number
  // The venue's last trade (ticks, seq; 0 = none yet) and the parts behind the last publication.
  private lastTradeTicks = 0
  private lastTradeSeq = NO_CAUSE
  private lastTradeMs = -Infinity
  private publishedVenueTicks: number
  private publishedSourcesTicks: number

  /** `sourceRngs[k]` draws source k's noise (needed only for noisy sources). */
  constructor(
    private readonly config: OracleConfig, private readonly startTicks: number, readonly name = 'oracle',
    private readonly sourceRngs: readonly Prng[] = [],
  ) {
    if (!(config.sources.length >= 1)) throw new Error(`${name}: at least one source`)
    this.seenTicks = [startTicks]
    this.seenExogenous = [startTicks]
    this.publishedExogenous = startTicks
    this.lagMaxMs = Math.max(...config.sources.map((s) => s.lagMs))
    this.boundaries = faultBoundaries(config.faults)
    this.venueShare = (config.venueInstrument ?? -1) >= 0 ? (config.venueShare ?? 0) : 0
    if (!(this.venueShare >= 0 && this.venueShare <= 1)) throw new Error(`${name}: venueShare ${this.venueShare} outside [0, 1]`)
    this.subscriptions = this.venueShare > 0 ? ['ExternalPrice', 'Fill'] : ['ExternalPrice']
    // a lagged source or a TWAP moves the candidate between observations, and so does the venue's last trade
    this.polls = this.lagMaxMs > 0 || config.twapWindowMs > 0 || this.venueShare > 0
    this.publishedSourcesTicks = startTicks
    this.publishedVenueTicks = startTicks
  }

  start(context: DriverContext): void {
    this.context = context
    for (const b of this.boundaries) context.schedule(oracleStatus(b.atMs, this.config.asset, b.status), b.atMs)
    this.publish(0, this.startTicks, NO_CAUSE, 0)
    this.scheduleWake(0)
  }

  onEvent(event: VenueEvent): void {
    if (event.kind === 'Fill') {
      if (event.instrument !== this.config.venueInstrument) return
      this.lastTradeTicks = event.priceTicks
      this.lastTradeSeq = event.seq
      this.lastTradeMs = event.t
      return // read at the next poll: one evaluation per pollMs, not per fill
    }
    if (event.kind !== 'ExternalPrice' || event.asset !== this.config.asset) return
    this.seenMs.push(event.t)
    this.seenTicks.push(event.priceTicks)
    this.seenSeq.push(event.seq)
    this.seenExogenous.push(event.exogenousTicks)
    this.seenImpact.push(event.cause !== NO_CAUSE)
    this.evaluate(event.t, false)
  }

  onWake(nowMs: number): void {
    if (nowMs !== this.pendingWakeMs) return // superseded by an earlier wake that rescheduled
    this.pendingWakeMs = -1
    this.evaluate(nowMs, true)
    this.scheduleWake(nowMs)
  }

  /** Reads the sources, updates the TWAP, and publishes if a rule says so. */
  private evaluate(nowMs: number, woken: boolean): void {
    this.status = this.statusAt(nowMs)
    if (this.status === 'outage') return
    const cause = this.readMedian(nowMs)
    const sources = this.candidateTicks(nowMs)
    const candidate = this.status === 'stale' ? this.publishedTicks : this.index(sources, nowMs)
    const moved = Math.abs(candidate - this.publishedTicks)
    const deviates = this.status === 'live' && moved > 0 && moved >= this.config.deviationRate * this.publishedTicks
    const due = woken && nowMs - this.publishedAtMs >= this.config.heartbeatMs
    if (deviates || due) this.publish(nowMs, candidate, this.attributeIndex(sources, nowMs, this.attribute(cause)), this.config.latencyMs)
  }

  /** The venue's part of the index now: its last trade, or the sources' value when it has none or it is stale (ticks). */
  private venuePart(sourcesTicks: number, nowMs: number): number {
    const fresh = this.lastTradeTicks > 0 && nowMs - this.lastTradeMs <= VENUE_TRADE_STALE_MS
    return fresh ? this.lastTradeTicks : sourcesTicks
  }

  /** The published index: the sources' value blended with the venue's part by venueShare (whole ticks). */
  private index(sourcesTicks: number, nowMs: number): number {
    const w = this.venueShare
    if (w === 0) return sourcesTicks
    return Math.max(1, Math.round((1 - w) * sourcesTicks + w * this.venuePart(sourcesTicks, nowMs)))
  }

  /** The venue's last trade as cause when its part of the index moved more than the sources' part since the last publication. */
  private attributeIndex(sourcesTicks: number, nowMs: number, sourcesCause: number): number {
    const w = this.venueShare
    if (w === 0) return sourcesCause
    const venue = this.venuePart(sourcesTicks, nowMs)
    const venueMoved = w * Math.abs(venue - this.publishedVenueTicks)
    const sourcesMoved = (1 - w) * Math.abs(sourcesTicks - this.publishedSourcesTicks)
    const cause = venueMoved > sourcesMoved && this.lastTradeSeq !== NO_CAUSE ? this.lastTradeSeq : sourcesCause
    this.publishedVenueTicks = venue
    this.publishedSourcesTicks = sourcesTicks
    return cause
  }

  /**
   * The cause of a publication whose median reading came from observation `cause`: the latest
   * impact observation since the last publication when the impact part moved more than the
   * exogenous part, else `cause` itself. Records the parts for the next publication.
   */
  private attribute(cause: number): number {
    const j = this.medianIndex
    const exogenous = this.seenExogenous[j] as number
    const impact = (this.seenTicks[j] as number) - exogenous
    const impactMoved = Math.abs(impact - this.publishedImpact) > Math.abs(exogenous - this.publishedExogenous)
    let attributed = cause
    if (impactMoved) {
      for (let k = j; k >= 0 && (this.seenSeq[k] as number) > this.publishedSeq; k--) {
        if (this.seenImpact[k]) {
          attributed = this.seenSeq[k] as number
          break
        }
      }
    }
    this.publishedExogenous = exogenous
    this.publishedImpact = impact
    this.publishedSeq = this.seenSeq[j] as number
    return attributed
  }

  /** Records the median of the sources at `nowMs`; returns the seq of the observation behind it. */
  private readMedian(nowMs: number): number {
    const sources = this.config.sources
    this.readings.length = 0
    this.readingSeqs.length = 0
    this.readingIndex.length = 0
    for (let k = 0; k < sources.length; k++) {
      const source = sources[k] as OracleSourceConfig
      const j = this.lastSeenAt(nowMs - source.lagMs)
      const noise = source.noiseRate > 0 ? 1 + source.noiseRate * (this.sourceRngs[k] as Prng).normal() : 1
      this.insertSorted((this.seenTicks[j] as number) * noise, this.seenSeq[j] as number, j)
    }
    const n = this.readings.length
    const middle = n >> 1
    const value = n % 2 === 1 ? (this.readings[middle] as number) : ((this.readings[middle - 1] as number) + (this.readings[middle] as number)) / 2
    const cause = n % 2 === 1 ? (this.readingSeqs[middle] as number) : Math.max(this.readingSeqs[middle - 1] as number, this.readingSeqs[middle] as number)
    this.medianIndex = n % 2 === 1 ? (this.readingIndex[middle] as number) : Math.max(this.readingIndex[middle - 1] as number, this.readingIndex[middle] as number)
    if (this.medianMs.length > 0 && this.medianMs[this.medianMs.length - 1] === nowMs) {
      this.medianTicks[this.medianTicks.length - 1] = value
    } else {
      this.medianMs.push(nowMs)
      this.medianTicks.push(value)
    }
    this.prune(nowMs)
    return cause
  }

  /** The value to publish now: the median, or its time-weighted average over the window (whole ticks). */
  private candidateTicks(nowMs: number): number {
    const last = this.medianTicks.length - 1
    const window = this.config.twapWindowMs
    if (window === 0) return Math.max(1, Math.round(this.medianTicks[last] as number))
    const from = nowMs - window
    let weighted = 0
    let covered = 0
    for (let j = last; j >= 0; j--) {
      const start = Math.max(this.medianMs[j] as number, from)
      const end = j === last ? nowMs : (this.medianMs[j + 1] as number)
      if (end > start) {
        weighted += (this.medianTicks[j] as number) * (end - start)
        covered += end - start
      }
      if ((this.medianMs[j] as number) <= from) break
    }
    return Math.max(1, Math.round(covered > 0 ? weighted / covered : (this.medianTicks[last] as number)))
  }

  /** Index of the last observation at or before `t` (the start price before the first). */
  private lastSeenAt(t: number): number {
    let j = this.seenMs.length - 1
    while (j > 0 && (this.seenMs[j] as number) > t) j--
    return j
  }

  private insertSorted(value: number, seq: number, index: number): void {
    let k = this.readings.length
    this.readings.push(value)
    this.readingSeqs.push(seq)
    this.readingIndex.push(index)
    while (k > 0 && (this.readings[k - 1] as number) > value) {
      this.readings[k] = this.readings[k - 1] as number
      this.readingSeqs[k] = this.readingSeqs[k - 1] as number
      this.readingIndex[k] = this.readingIndex[k - 1] as number
      k--
    }
    this.readings[k] = value
    this.readingSeqs[k] = seq
    this.readingIndex[k] = index
  }

  /** Drops observations no lagged source can read any more, and medians older than the TWAP window. */
  private prune(nowMs: number): void {
    let drop = 0
    while (drop + 1 < this.seenMs.length && (this.seenMs[drop + 1] as number) <= nowMs - this.lagMaxMs) drop++
    if (drop > 64) {
      this.seenMs.splice(0, drop)
      this.seenTicks.splice(0, drop)
      this.seenSeq.splice(0, drop)
      this.seenExogenous.splice(0, drop)
      this.seenImpact.splice(0, drop)
      this.medianIndex -= drop
    }
    let old = 0
    while (old + 1 < this.medianMs.length && (this.medianMs[old + 1] as number) <= nowMs - this.config.twapWindowMs) old++
    if (old > 64) {
      this.medianMs.splice(0, old)
      this.medianTicks.splice(0, old)
    }
  }

  private statusAt(nowMs: number): OracleState {
    let status: OracleState = 'live'
    for (const b of this.boundaries) {
      if (b.atMs > nowMs) break
      status = b.status
    }
    return status
  }

  /** Next wake: the heartbeat, the next poll, or the next fault boundary, whichever is first. */
  private scheduleWake(nowMs: number): void {
    let next = Math.max(nowMs + 1, this.publishedAtMs + this.config.heartbeatMs)
    if (this.polls) next = Math.min(next, nowMs + this.config.pollMs)
    for (const b of this.boundaries) {
      if (b.atMs > nowMs) {
        next = Math.min(next, b.atMs)
        break
      }
    }
    if (this.pendingWakeMs > nowMs && this.pendingWakeMs <= next) return
    this.pendingWakeMs = next
    this.context.wakeAt(next)
  }

  private publish(nowMs: number, priceTicks: number, cause: number, latencyMs: number): void {
    this.publishedTicks = priceTicks
    this.publishedAtMs = nowMs
    this.context.schedule(oraclePrice(nowMs + latencyMs, this.config.asset, priceTicks, cause), nowMs + latencyMs)
  }
}

/** Times at which the oracle's state changes, with the state after each (outage beats stale). */
export function faultBoundaries(faults: readonly OracleFault[]): { atMs: number; status: OracleState }[] {
  const times = [...new Set(faults.flatMap((f) => [f.atMs, f.atMs + f.durationMs]))].sort((a, b) => a - b)
  const out: { atMs: number; status: OracleState }[] = []
  let previous: OracleState = 'live'
  for (const t of times) {
    const covering = faults.filter((f) => f.atMs <= t && t < f.atMs + f.durationMs)
    const status: OracleState = covering.some((f) => f.kind === 'outage') ? 'outage' : covering.length > 0 ? 'stale' : 'live'
    if (status !== previous) out.push({ atMs: t, status })
    previous = status
  }
  return out
}
