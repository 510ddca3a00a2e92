// The external reference price of an asset, outside the venue: a random walk with scripted
// shocks, plus permanent linear impact from the venue's own liquidation flow (Δp = λ·Q, the
// venue's share of market-wide selling). Each step or impact becomes an ExternalPrice input;
// impact inputs carry as cause the liquidation fill that moved the price, which is how the
// cascade tree crosses from one liquidation to the next.

import { NO_CAUSE, externalPrice, type EventKind, type VenueEvent } from '../events.js'
import type { Prng } from '../prng.js'
import type { Driver, DriverContext } from '../simulation.js'

export interface PriceShock {
  /** Start of the shock (simulated ms). */
  atMs: number
  /** Fraction of the price removed (0.1 = −10%; negative for a rise). */
  drop: number
  /** The drop is spread linearly over this many ms (0 = one step). */
  durationMs: number
}

export interface PriceProcessConfig {
  /** The asset priced (prices in its ticks). */
  asset: number
  /** Instruments whose liquidation fills move this asset's price (perpetuals on it). */
  impactInstruments: readonly number[]
  startTicks: number
  /** Time between random-walk steps (ms). */
  stepMs: number
  /** Standard deviation of the relative change per step (0.0003 = 3 bp). */
  volatilityPerStep: number
  shocks: readonly PriceShock[]
  /** Ticks the external price moves per lot of net liquidation flow (λ). */
  impactTicksPerLot: number
  /** Delay before the venue's flow shows in the external price (ms). */
  impactDelayMs: number
}

/** Drives ExternalPrice inputs for one asset. */
export class PriceProcess implements Driver {
  readonly subscriptions: readonly EventKind[] = ['Fill']
  private context!: DriverContext
  private exogenous: number
  private impact = 0
  private pendingLots = 0
  private pendingCause = NO_CAUSE
  private nextShock = 0
  private shockLeftTicks = 0
  private shockStepTicks = 0

  constructor(private readonly config: PriceProcessConfig, private readonly rng: Prng, readonly name = 'price-process') {
    this.exogenous = config.startTicks
  }

  start(context: DriverContext): void {
    this.context = context
    context.schedule(this.observation(NO_CAUSE), 0)
    context.wakeAt(this.config.stepMs)
  }

  onWake(nowMs: number): void {
    const { volatilityPerStep, stepMs } = this.config
    this.exogenous *= 1 + volatilityPerStep * this.rng.normal()
    this.applyShocks(nowMs)
    this.context.schedule(this.observation(NO_CAUSE), nowMs)
    this.context.wakeAt(nowMs + stepMs)
  }

  onEvent(event: VenueEvent): void {
    if (event.kind !== 'Fill' || !event.liquidation || !this.config.impactInstruments.includes(event.instrument)) return
    this.pendingLots += event.side === 'buy' ? event.lots : -event.lots
    this.pendingCause = event.seq
  }

  onBatchEnd(nowMs: number): void {
    if (this.pendingLots === 0) return
    this.impact += this.config.impactTicksPerLot * this.pendingLots
    const input = this.observation(this.pendingCause)
    this.pendingLots = 0
    this.pendingCause = NO_CAUSE
    this.context.schedule(input, nowMs + this.config.impactDelayMs)
  }

  /** Advances scripted shocks: starts any due, then takes this step's share of each running one. */
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

  private observation(cause: number) {
    const exogenousTicks = Math.max(1, Math.round(this.exogenous))
    const priceTicks = Math.max(1, Math.round(this.exogenous + this.impact))
    return externalPrice(this.context.now(), this.config.asset, priceTicks, exogenousTicks, cause)
  }
}
