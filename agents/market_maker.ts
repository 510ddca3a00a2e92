// A ladder market maker whose depth behaves as in a real cascade. Every `refreshMs` it quotes
// `levels` post-only orders per side around a reference price (oracle, external or mark)
// snapped to a grid of `spacingTicks`, and:
//
//  - refills at a finite resilience: a level it quoted before and that was traded down is
//    topped up by the fraction f = 1 − (1 − resilience)^(refreshMs / 1000 ms) of what it lacks
//    (at least a lot) — `resilience` is the fraction of depleted depth restored per second, the
//    exponential replenishment of Obizhaeva & Wang (2013). Levels new to the ladder (the price
//    moved) are quoted in full; after a withdrawal every level comes back at the resilience.
//  - widens with realised volatility: an EWMA of squared returns of the reference per second,
//    σ̂; spread and spacing scale by max(1, σ̂ / calmVolatility).
//  - withdraws entirely (cancels every quote) while σ̂ exceeds `withdrawVolatility` or its
//    |inventory| exceeds `withdrawInventoryLots`, and past `maxInventoryLots` stops quoting the
//    side that would add to its inventory: the liquidity withdrawal seen in real cascades.
//  - skews against its inventory (Avellaneda & Stoikov 2008: reservation price r = s − q·γσ²(T−t)):
//    the ladder centres on reference − κ·exposure, exposure = venue inventory + reference-market
//    hedge, with κ = inventorySkew · spacingTicks / lotsPerLevel ticks per lot — `inventorySkew`
//    is the share of the book walk that its inventory took which it keeps out of its refilled
//    quotes. So depth eaten by liquidations is not restored around an unchanged reference: the
//    book stays lower until someone (arbitrage, dip buyers) takes the inventory off it, and a
//    thinner maker (fewer lots per level) moves further per lot absorbed.
//  - hedges a fraction of its exposure on the reference market (`hedgeRate` per second;
//    ExternalTrade intents), which moves the external price and takes the skew off.
// Volatility and resilience use expDeterministic/lnDeterministic, so a run is reproducible.

import { expDeterministic, lnDeterministic } from '../engine/deterministic_math.js'
import { NO_CAUSE, type VenueEvent } from '../engine/events.js'
import type { Prng } from '../engine/prng.js'
import type { Agent, AgentAction, CancelIntent, OrderIntent, VenueView } from './agent.js'
import { referenceTicks, type ReferencePrice } from './reference_price.js'

const LN2 = 0.6931471805599453

export interface MarketMakerParams {
  instrument: number
  /** Price levels per side. */
  levels: number
  /** Distance between levels (ticks) at calm volatility. */
  spacingTicks: number
  /** Distance from the reference price to the first level (ticks) at calm volatility. */
  halfSpreadTicks: number
  /** Lots quoted at each level when full. */
  lotsPerLevel: number
  /** Time between re-quotes (ms). */
  refreshMs: number
  /** Inventory (lots, either sign) past which the adding side is withdrawn. */
  maxInventoryLots: number
  /** Fraction of depleted depth restored per second (1 = all of it at the next refresh; 0 = never). */
  resilience: number
  /** Realised volatility per √s at which quotes have their base width (0 = never widen). */
  calmVolatility: number
  /** Half-life of the realised-volatility estimate (ms). */
  volatilityHalfLifeMs: number
  /** All quotes are withdrawn while realised volatility per √s exceeds this (0 = never). */
  withdrawVolatility: number
  /** All quotes are withdrawn while |inventory| exceeds this (lots; 0 = never). */
  withdrawInventoryLots: number
  /** The price the ladder centres on. */
  reference: ReferencePrice
  /** Share of the book walk its inventory took that it keeps out of its quotes (0 = none, 1 = all). */
  inventorySkew?: number
  /** Fraction of exposure hedged on the reference market per second (0 = none). */
  hedgeRate?: number
}

/** Quotes a ladder with finite resilience, volatility-dependent width and withdrawal limits. */
export class MarketMaker implements Agent {
  readonly subscriptions: readonly ('Fill')[]
  private readonly orderIds: number[] = []
  /** Ticks the ladder shifts per lot of exposure (κ). */
  private readonly skewTicksPerLot: number
  /** Fraction of exposure hedged at each refresh. */
  private readonly hedgeFraction: number
  /** Position on the reference market from hedging (lots, signed). */
  private hedgedLots = 0
  /** Seq of the latest fill that changed its inventory (the cause of its hedges). */
  private lastFillSeq = NO_CAUSE
  /** Levels quoted at the last refresh: price → side. */
  private ladder = new Map<number, 'buy' | 'sell'>()
  private readonly refillFraction: number
  private readonly volatilityWeight: number
  private previousReference = 0
  private variancePerSecond: number
  private withdrawn = false

  constructor(readonly name: string, readonly accounts: readonly number[], private readonly params: MarketMakerParams) {
    const { resilience, refreshMs, volatilityHalfLifeMs, calmVolatility } = params
    this.refillFraction = resilience >= 1 ? 1 : resilience <= 0 ? 0 : 1 - expDeterministic((refreshMs / 1000) * lnDeterministic(1 - resilience))
    this.volatilityWeight = 1 - expDeterministic((-LN2 * refreshMs) / Math.max(1, volatilityHalfLifeMs))
    this.variancePerSecond = calmVolatility * calmVolatility
    this.skewTicksPerLot = ((params.inventorySkew ?? 0) * params.spacingTicks) / params.lotsPerLevel
    const hedgeRate = params.hedgeRate ?? 0
    this.hedgeFraction = hedgeRate >= 1 ? 1 : hedgeRate <= 0 ? 0 : 1 - expDeterministic((refreshMs / 1000) * lnDeterministic(1 - hedgeRate))
    this.subscriptions = this.hedgeFraction > 0 ? ['Fill'] : []
  }

  /** Tracks the fills that change its inventory (only subscribed when hedging). */
  onEvent(_view: VenueView, event: VenueEvent): void {
    if (event.kind !== 'Fill' || event.instrument !== this.params.instrument) return
    const account = this.accounts[0] as number
    if (event.maker === account || event.taker === account) this.lastFillSeq = event.seq
  }

  /** Venue inventory plus its reference-market hedge (lots). */
  exposure(view: VenueView): number {
    return view.position(this.accounts[0] as number, this.params.instrument) + this.hedgedLots
  }

  start(_view: VenueView, rng: Prng): AgentAction {
    return { wakeInMs: 1 + rng.int(this.params.refreshMs) } // staggered so makers do not move in lockstep
  }

  /** Realised volatility per √s (the EWMA estimate). */
  get realisedVolatility(): number {
    return Math.sqrt(this.variancePerSecond)
  }

  /** True while the maker has pulled all its quotes. */
  get isWithdrawn(): boolean {
    return this.withdrawn
  }

  onWake(view: VenueView): AgentAction {
    const p = this.params
    const account = this.accounts[0] as number
    const reference = referenceTicks(view, p.instrument, p.reference)
    if (reference <= 0) return { wakeInMs: p.refreshMs }
    this.observe(reference)
    const hedge = this.hedgeFraction > 0 ? -Math.round(this.exposure(view) * this.hedgeFraction) : 0
    this.hedgedLots += hedge
    const inventory = this.exposure(view)
    const sigma = this.realisedVolatility
    const withdraw = (p.withdrawVolatility > 0 && sigma > p.withdrawVolatility)
      || (p.withdrawInventoryLots > 0 && Math.abs(inventory) > p.withdrawInventoryLots)
    const centre = reference - this.skewTicksPerLot * inventory
    const desired = withdraw ? new Map<number, 'buy' | 'sell'>() : this.desiredLadder(centre, inventory, sigma)
    const { cancels, resting } = this.keepOrCancel(view, account, desired)
    const orders: OrderIntent[] = []
    for (const [priceTicks, side] of desired) {
      const missing = p.lotsPerLevel - (resting.get(priceTicks) ?? 0)
      if (missing <= 0) continue
      const known = this.withdrawn || this.ladder.get(priceTicks) === side
      const lots = known ? Math.min(missing, Math.ceil(this.refillFraction * missing)) : missing
      if (lots > 0) orders.push({ account, instrument: p.instrument, side, type: 'post_only', priceTicks, lots })
    }
    this.withdrawn = withdraw
    this.ladder = desired
    const hedges = hedge === 0 ? [] : [{ account, instrument: p.instrument, lots: hedge, cause: this.lastFillSeq }]
    return { cancels, orders, hedges, wakeInMs: p.refreshMs }
  }

  /** Updates the realised-volatility EWMA with the return since the last refresh. */
  private observe(reference: number): void {
    if (this.previousReference > 0) {
      const r = (reference - this.previousReference) / this.previousReference
      const sample = (r * r * 1000) / this.params.refreshMs
      this.variancePerSecond += this.volatilityWeight * (sample - this.variancePerSecond)
    }
    this.previousReference = reference
  }

  /** The ladder around `reference` (its skewed centre): price → side, widened by realised volatility, the adding side dropped past the inventory limit. */
  private desiredLadder(reference: number, inventory: number, sigma: number): Map<number, 'buy' | 'sell'> {
    const p = this.params
    const widen = p.calmVolatility > 0 ? Math.max(1, sigma / p.calmVolatility) : 1
    const spacing = Math.max(1, Math.round(p.spacingTicks * widen))
    const halfSpread = Math.max(1, Math.round(p.halfSpreadTicks * widen))
    const grid = Math.round(reference / spacing) * spacing
    const desired = new Map<number, 'buy' | 'sell'>()
    for (let k = 0; k < p.levels; k++) {
      const offset = halfSpread + k * spacing
      if (inventory < p.maxInventoryLots && grid - offset > 0) desired.set(grid - offset, 'buy')
      if (inventory > -p.maxInventoryLots) desired.set(grid + offset, 'sell')
    }
    return desired
  }

  /** Cancels resting quotes off the desired ladder; returns the cancels and the lots kept per price. */
  private keepOrCancel(view: VenueView, account: number, desired: Map<number, 'buy' | 'sell'>) {
    const i = this.params.instrument
    const resting = new Map<number, number>()
    const cancels: CancelIntent[] = []
    for (const orderId of view.openOrders(account, i, this.orderIds)) {
      const order = view.order(account, i, orderId)
      if (order === undefined) continue
      if (desired.get(order.priceTicks) === order.side) {
        resting.set(order.priceTicks, (resting.get(order.priceTicks) ?? 0) + order.lots)
      } else {
        cancels.push({ account, instrument: i, orderId })
      }
    }
    return { cancels, resting }
  }
}
