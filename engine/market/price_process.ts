// The external reference price of an asset, outside the venue, and how the venue moves it.
//
// Exogenous path, one of:
//   random walk  every stepMs: p ← p·(1 + σ_step·z), z ~ N(0, 1), plus Poisson jumps (rate per
//                hour, relative size ~ N(mean, sd), from their own random stream)
//   recorded     a PricePath (price_path.ts): the price of the last point at or before t
// and on top of either, scripted shocks (a drop spread linearly over a duration).
//
// Reference-market impact: the venue's own trading never moves this price directly (its book
// and impact models already price that flow once). What reaches the outside market are trades
// placed there — ExternalTrade inputs: arbitrageurs' and market makers' hedges of what they
// took on the venue. Their net flow per batch displaces the price through the reference
// market's impact model (impact_model.ts), observed `impactDelayMs` later. An impact
// observation carries as cause the ExternalTrade that moved the price, whose cause is the
// venue fill it hedged — how the cascade tree crosses from one liquidation, through the
// arbitrageur and the oracle, to the next.

import { NO_CAUSE, externalPrice, type EventKind, type VenueEvent } from '../events.js'
import type { Prng } from '../prng.js'
import type { Driver, DriverContext } from '../simulation.js'
import { ImpactState, impactTicks, type ImpactModelConfig } from './impact_model.js'
import { Propagator, type PropagatorConfig } from './propagator.js'
import { pointAt, type PricePath } from './price_path.js'

export interface PriceShock {
  /** Start of the shock (simulated ms). */
  atMs: number
  /** Fraction of the price removed (0.1 = −10%; negative for a rise). */
  drop: number
  /** The drop is spread linearly over this many ms (0 = one step). */
  durationMs: number
}

export interface JumpConfig {
  /** Mean number of jumps per simulated hour (0 = none). */
  ratePerHour: number
  /** Mean relative drop of a jump (0.02 = −2%; negative for rises). */
  meanDrop: number
  /** Standard deviation of the relative drop. */
  dropStdDev: number
}

export interface PriceProcessConfig {
  /** The asset priced (prices in its ticks). */
  asset: number
  /** Instruments whose reference-market trades move this asset's price (perpetuals on it). */
  impactInstruments: readonly number[]
  /** Flow units per lot of each impact instrument (same order): its base lot / the first's. */
  impactLotScale: readonly number[]
  startTicks: number
  /** Time between random-walk steps (ms); also how often a recorded path is re-read during shocks. */
  stepMs: number
  /** Standard deviation of the relative change per step (0.0003 = 3 bp). */
  volatilityPerStep: number
  jumps: JumpConfig
  shocks: readonly PriceShock[]
  /** A recorded path in this asset's ticks (replaces the random walk and jumps), or null. */
  path: { timesMs: Float64Array; priceTicks: Float64Array } | null
  /** How reference-market trades move the price, in flow units (lots of the first impact instrument). */
  impact: ImpactModelConfig
  /** When set, the reference market is a propagator (transient, no dynamic arbitrage) instead of `impact`. */
  propagator?: PropagatorConfig | null
  /** Delay before a reference-market trade shows in the external price (ms). */
  impactDelayMs: number
}

const HOUR_MS = 3_600_000

/** Converts a PricePath in quote currency into the asset's ticks. */
export function pathInTicks(path: PricePath, priceTick: number): { timesMs: Float64Array; priceTicks: Float64Array } {
  return { timesMs: path.timesMs, priceTicks: Float64Array.from(path.prices, (p) => p / priceTick) }
}

/** Drives ExternalPrice inputs for one asset. */
export class PriceProcess implements Driver {
  readonly subscriptions: readonly EventKind[] = ['ExternalTrade']
  private context!: DriverContext
  private exogenous: number
  private readonly impact: ImpactState
  private readonly propagator: Propagator | null
  private pendingLots = 0
  private pendingCause = NO_CAUSE
  private nextShock = 0
  private shockLeftTicks = 0
  private shockStepTicks = 0
  private nextJumpMs = Infinity

  /** `jumpRng` draws jump times and sizes (needed only when jumps are on). */
  constructor(
    private readonly config: PriceProcessConfig, private readonly rng: Prng, readonly name = 'price-process',
    private readonly jumpRng: Prng | null = null,
  ) {
    this.exogenous = config.path ? (config.path.priceTicks[0] as number) : config.startTicks
    this.impact = new ImpactState(config.impact)
    this.propagator = config.propagator ? new Propagator(config.propagator) : null
  }

  start(context: DriverContext): void {
    this.context = context
    if (this.config.jumps.ratePerHour > 0 && this.config.path === null) this.nextJumpMs = this.jumpInterval()
    context.schedule(this.observation(NO_CAUSE), 0)
    context.wakeAt(this.nextWake(0))
  }

  onWake(nowMs: number): void {
    if (this.config.path === null) {
      const { volatilityPerStep } = this.config
      this.exogenous *= 1 + volatilityPerStep * this.rng.normal()
      this.applyJumps(nowMs)
      this.applyShocks(nowMs)
    } else {
      const path = this.config.path
      this.exogenous = (path.priceTicks[Math.max(0, pointAt(path, nowMs))] as number) * this.shockFactor(nowMs)
    }
    this.context.schedule(this.observation(NO_CAUSE), nowMs)
    const next = this.nextWake(nowMs)
    if (next < Infinity) this.context.wakeAt(next)
  }

  onEvent(event: VenueEvent): void {
    if (event.kind !== 'ExternalTrade') return
    const k = this.config.impactInstruments.indexOf(event.instrument)
    if (k < 0) return
    this.pendingLots += event.lots * (this.config.impactLotScale[k] ?? 1)
    this.pendingCause = event.seq
  }

  onBatchEnd(nowMs: number): void {
    if (this.pendingLots === 0) return
    const flow = this.pendingLots
    if (this.propagator !== null) {
      this.propagator.trade(nowMs, flow)
    } else {
      const size = impactTicks(this.config.impact, Math.abs(flow), this.exogenous + this.impact.offsetAt(nowMs))
      this.impact.displace(nowMs, flow > 0 ? size : -size)
    }
    const input = this.observation(this.pendingCause)
    this.pendingLots = 0
    this.pendingCause = NO_CAUSE
    this.context.schedule(input, nowMs + this.config.impactDelayMs)
  }

  /** Random walk: the next step. Recorded path: the next point, a shock's start, or the next step while a shock runs. */
  private nextWake(nowMs: number): number {
    const path = this.config.path
    if (path === null) return nowMs + this.config.stepMs
    const next = pointAt(path, nowMs) + 1
    let wake = next < path.timesMs.length ? (path.timesMs[next] as number) : Infinity
    for (const shock of this.config.shocks) {
      const end = shock.atMs + shock.durationMs
      if (nowMs < shock.atMs) wake = Math.min(wake, shock.atMs)
      else if (nowMs < end) wake = Math.min(wake, nowMs + this.config.stepMs, end)
    }
    return wake
  }

  /** Poisson jumps due by `nowMs`: each multiplies the price by (1 − drop), drop ~ N(mean, sd). */
  private applyJumps(nowMs: number): void {
    const jumps = this.config.jumps
    while (this.nextJumpMs <= nowMs) {
      const rng = this.jumpRng as Prng
      const drop = Math.min(0.99, Math.max(-0.99, jumps.meanDrop + jumps.dropStdDev * rng.normal()))
      this.exogenous *= 1 - drop
      this.nextJumpMs += this.jumpInterval()
    }
  }

  private jumpInterval(): number {
    return Math.max(1, (this.jumpRng as Prng).exponential(HOUR_MS / this.config.jumps.ratePerHour))
  }

  /** Random walk: advances scripted shocks: starts any due, then takes this step's share of each running one. */
  private applyShocks(nowMs: number): void {
    const shocks = this.config.shocks
    while (this.nextShock < shocks.length && (shocks[this.nextShock] as PriceShock).atMs <= nowMs) {
      const shock = shocks[this.nextShock++] as PriceShock
      const steps = Math.max(1, Math.round(shock.durationMs / this.config.stepMs))
      this.shockLeftTicks += this.exogenous * shock.drop
      this.shockStepTicks = this.shockLeftTicks / steps
    }
    if (this.shockLeftTicks !== 0) {
      const step = Math.abs(this.shockStepTicks) < Math.abs(this.shockLeftTicks) ? this.shockStepTicks : this.shockLeftTicks
      this.exogenous -= step
      this.shockLeftTicks -= step
    }
  }

  /** Recorded path: Π over shocks of (1 − drop · progress), progress linear over the shock's duration. */
  private shockFactor(nowMs: number): number {
    let factor = 1
    for (const shock of this.config.shocks) {
      if (nowMs < shock.atMs) continue
      const progress = shock.durationMs === 0 ? 1 : Math.min(1, (nowMs - shock.atMs) / shock.durationMs)
      factor *= 1 - shock.drop * progress
    }
    return factor
  }

  private observation(cause: number) {
    const now = this.context.now()
    const exogenousTicks = Math.max(1, Math.round(this.exogenous))
    const offset = this.propagator !== null ? this.propagator.offsetAt(now) : this.impact.offsetAt(now)
    const priceTicks = Math.max(1, Math.round(this.exogenous + offset))
    return externalPrice(now, this.config.asset, priceTicks, exogenousTicks, cause)
  }
}
