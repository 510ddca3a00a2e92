// An oracle network publishing one asset's external price to the venue: it publishes when the price has
// moved by at least `deviationRate` since the last publication, or when `heartbeatMs` has passed,
// and each publication reaches the venue `latencyMs` later (the staleness that lets a fast
// market run ahead of the venue's mark price).

import { NO_CAUSE, oraclePrice, type EventKind, type VenueEvent } from '../events.js'
import type { Driver, DriverContext } from '../simulation.js'

export interface OracleConfig {
  /** Asset whose price is published (its ticks). */
  asset: number
  /** Publication delay (ms). */
  latencyMs: number
  /** Maximum time between publications (ms). */
  heartbeatMs: number
  /** Minimum relative move that triggers a publication before the heartbeat (0.001 = 10 bp). */
  deviationRate: number
}

/** Publishes OraclePrice inputs from ExternalPrice observations. */
export class Oracle implements Driver {
  readonly subscriptions: readonly EventKind[] = ['ExternalPrice']
  private context!: DriverContext
  private observedTicks = 0
  private observedSeq = NO_CAUSE
  private publishedTicks = 0
  private publishedAtMs = -Infinity

  constructor(private readonly config: OracleConfig, private readonly startTicks: number, readonly name = 'oracle') {}

  start(context: DriverContext): void {
    this.context = context
    this.observedTicks = this.startTicks
    this.publish(0, NO_CAUSE, 0)
    context.wakeAt(this.config.heartbeatMs)
  }

  onEvent(event: VenueEvent): void {
    if (event.kind !== 'ExternalPrice' || event.asset !== this.config.asset) return
    this.observedTicks = event.priceTicks
    this.observedSeq = event.seq
    const moved = Math.abs(event.priceTicks - this.publishedTicks)
    if (moved >= this.config.deviationRate * this.publishedTicks && moved > 0) {
      this.publish(event.t, event.seq, this.config.latencyMs)
    }
  }

  onWake(nowMs: number): void {
    if (nowMs - this.publishedAtMs >= this.config.heartbeatMs) this.publish(nowMs, this.observedSeq, this.config.latencyMs)
    this.context.wakeAt(Math.max(nowMs + 1, this.publishedAtMs + this.config.heartbeatMs))
  }

  private publish(nowMs: number, cause: number, latencyMs: number): void {
    this.publishedTicks = this.observedTicks
    this.publishedAtMs = nowMs
    this.context.schedule(oraclePrice(nowMs + latencyMs, this.config.asset, this.observedTicks, cause), nowMs + latencyMs)
  }
}
