// The liquidation clock: the venue never schedules anything itself (it is a synchronous state
// machine), so when it must act later — a partial step after the rate-limit interval, the end of
// a liquidator auction — it emits LiquidationDeferred {account, dueMs}, and this driver turns
// that into a LiquidationWake input at dueMs. The wake is journaled like every input, so exact
// replay re-applies it without the driver and re-derives every outcome.

import { liquidationWake, type EventKind, type VenueEvent } from '../events.js'
import type { Driver, DriverContext } from '../simulation.js'

/** Delivers a LiquidationWake for every LiquidationDeferred, at its due time. */
export class LiquidationClock implements Driver {
  readonly subscriptions: readonly EventKind[] = ['LiquidationDeferred']
  private context!: DriverContext

  constructor(readonly name = 'liquidation-clock') {}

  start(context: DriverContext): void {
    this.context = context
  }

  onEvent(event: VenueEvent): void {
    if (event.kind !== 'LiquidationDeferred') return
    this.context.schedule(liquidationWake(event.dueMs, event.account, event.seq), event.dueMs)
  }
}
