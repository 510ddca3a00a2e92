// Adapts an Agent to the engine's Driver: gives it a view scoped to its accounts and its own
// random stream, and turns its intents into PlaceOrder/CancelOrder/LiquidatorBid/ExternalTrade inputs that
// reach the venue after one latency draw per action (so the intents of one action keep their order).
// The accounts are the ones the world assigned (copied at construction, not re-read from the
// agent), and an intent for any other account is refused: an agent acts only as itself.

import { NO_CAUSE, cancelOrder, externalTrade, liquidatorBid, placeOrder, type EventKind, type VenueEvent } from '../engine/events.js'
import type { Prng } from '../engine/prng.js'
import type { Driver, DriverContext } from '../engine/simulation.js'
import type { VenueView } from '../engine/venue_view.js'
import type { Agent, AgentAction, LatencyModel } from './agent.js'

/** Runs one agent inside the simulation loop. */
export class AgentDriver implements Driver {
  readonly name: string
  readonly subscriptions: readonly EventKind[]
  private context!: DriverContext
  private view!: VenueView
  private readonly owned: ReadonlySet<number>

  /** `accounts`: the accounts the world gave the agent (default: what it declares). */
  constructor(private readonly agent: Agent, private readonly rng: Prng, private readonly latency: LatencyModel, accounts: readonly number[] = agent.accounts) {
    this.name = agent.name
    this.subscriptions = [...agent.subscriptions]
    this.owned = new Set(accounts)
  }

  start(context: DriverContext): void {
    this.context = context
    this.view = context.view.scoped(this.owned)
    this.act(this.agent.start(this.view, this.rng))
  }

  onWake(): void {
    this.act(this.agent.onWake(this.view))
  }

  onEvent(event: VenueEvent): void {
    if (this.agent.onEvent) this.act(this.agent.onEvent(this.view, event))
  }

  private act(action: AgentAction | void): void {
    if (!action) return
    this.checkOwnership(action)
    const now = this.context.now()
    const hasIntents = (action.cancels?.length ?? 0) + (action.orders?.length ?? 0) + (action.bids?.length ?? 0) + (action.hedges?.length ?? 0) > 0
    const arrival = hasIntents ? now + this.latency.minMs + (this.latency.jitterMs > 0 ? this.rng.int(this.latency.jitterMs + 1) : 0) : now
    for (const c of action.cancels ?? []) this.context.schedule(cancelOrder(arrival, c.account, c.instrument, c.orderId), arrival)
    for (const o of action.orders ?? []) {
      this.context.schedule(placeOrder(arrival, o.account, o.instrument, o.side, o.type, o.priceTicks, o.lots, o.cause ?? NO_CAUSE), arrival)
    }
    for (const b of action.bids ?? []) this.context.schedule(liquidatorBid(arrival, b.account, b.auction, b.lots), arrival)
    for (const h of action.hedges ?? []) {
      if (h.lots !== 0) this.context.schedule(externalTrade(arrival, h.account, h.instrument, h.lots, h.cause ?? NO_CAUSE), arrival)
    }
    if (action.wakeInMs !== undefined) this.context.wakeAt(now + Math.max(1, Math.round(action.wakeInMs)))
  }

  private checkOwnership(action: AgentAction): void {
    for (const o of action.orders ?? []) if (!this.owned.has(o.account)) this.refuse(o.account)
    for (const c of action.cancels ?? []) if (!this.owned.has(c.account)) this.refuse(c.account)
    for (const b of action.bids ?? []) if (!this.owned.has(b.account)) this.refuse(b.account)
    for (const h of action.hedges ?? []) if (!this.owned.has(h.account)) this.refuse(h.account)
  }

  private refuse(account: number): never {
    throw new Error(`agent ${this.name}: acted for account ${account}, which it does not own (its accounts: ${[...this.owned].join(', ')})`)
  }
}
