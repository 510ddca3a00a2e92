// The read-only window agents and world drivers get onto the venue. Public market data (prices,
// book depth, funding, oracle state) is open to all; account data is open only for the accounts
// a view owns. The venue itself sits in a private (#) field, so an agent cannot reach or mutate
// engine state; instrument and asset configurations are handed out as deep-frozen copies (a
// plain-JS agent ignores TypeScript's Readonly). For an instrument executed against an impact model the quote and depth methods
// answer from the model (best bid/ask around its price, depth = lots within a price), so an
// agent trades a book and a model the same way.

import type { OracleState, Side } from './events.js'
import { impactTicks, lotsWithin, type ImpactState } from './market/impact_model.js'
import type { ExecutionModel, MarkMethod } from './market/market_config.js'
import { BUY, NONE, SELL, type BookSide } from './market/order_book.js'
import type { Venue } from './venue.js'
import type { AssetConfig, InstrumentConfig } from './venue_config.js'
import { bankruptcyPriceTicks, liquidationPriceTicks } from './margin/liquidation_price.js'

export { NONE as NO_PRICE }

const bookSide = (side: Side): BookSide => (side === 'buy' ? BUY : SELL)

/** Read-only view of the venue; account data limited to `owned` accounts (null = all). */
export class VenueView {
  readonly #venue: Venue
  readonly #owned: ReadonlySet<number> | null
  readonly #clock: { now: number }
  #configs: { instruments: readonly InstrumentConfig[]; assets: readonly AssetConfig[] } | null

  constructor(venue: Venue, clock: { now: number }, owned: ReadonlySet<number> | null, configs: VenueView['configs'] | null = null) {
    this.#venue = venue
    this.#clock = clock
    this.#owned = owned
    this.#configs = configs
  }

  /** A view of the same venue limited to `accounts`. */
  scoped(accounts: Iterable<number>): VenueView {
    return new VenueView(this.#venue, this.#clock, new Set(accounts), this.configs)
  }

  /** Deep-frozen copies of the instrument and asset configurations (made once per view family). */
  private get configs(): { instruments: readonly InstrumentConfig[]; assets: readonly AssetConfig[] } {
    this.#configs ??= deepFreeze(structuredClone({ instruments: this.#venue.config.instruments, assets: this.#venue.config.assets }))
    return this.#configs
  }

  /** Current simulated time (ms). */
  get nowMs(): number {
    return this.#clock.now
  }

  get instrumentCount(): number {
    return this.#venue.books.length
  }

  instrument(i: number): Readonly<InstrumentConfig> {
    return this.configs.instruments[i] as InstrumentConfig
  }

  get assetCount(): number {
    return this.#venue.config.assets.length
  }

  /** Asset `k` (0 is the cash asset). */
  asset(k: number): Readonly<AssetConfig> {
    return this.configs.assets[k] as AssetConfig
  }

  /** Quote currency per cash unit. */
  get cashUnit(): number {
    return this.#venue.config.cashUnit
  }

  markTicks(i: number): number {
    return this.#venue.margin.markTicks[i] as number
  }

  /** Oracle price of instrument `i`'s base asset (ticks). */
  oracleTicks(i: number): number {
    return this.#venue.oracleTicksOf(i)
  }

  /** External reference price of instrument `i`'s base asset (ticks). */
  externalTicks(i: number): number {
    return this.#venue.externalTicks[this.#venue.margin.baseAsset[i] as number] as number
  }

  /** Oracle price of asset `k` (its ticks; 1 for the cash asset). */
  assetPriceTicks(k: number): number {
    return this.#venue.margin.assetPriceTicks[k] as number
  }

  /** Best bid (ticks) or NO_PRICE; a model's price rounded down. */
  bestBid(i: number): number {
    const mid = this.#modelMid(i)
    if (mid !== null) return mid > 0 ? Math.max(1, Math.floor(mid)) : NONE
    return this.#venue.books[i]!.bestBid()
  }

  /** Best ask (ticks) or NO_PRICE; a model's price rounded up. */
  bestAsk(i: number): number {
    const mid = this.#modelMid(i)
    if (mid !== null) return mid > 0 ? Math.ceil(mid) : NONE
    return this.#venue.books[i]!.bestAsk()
  }

  /** Lots resting at a price (0 for a model-executed instrument). */
  lotsAt(i: number, priceTicks: number): number {
    return this.#venue.books[i]!.lotsAt(priceTicks)
  }

  /** Lots on `side` ('buy' = bids) at prices at least as good as `limitTicks`; for a model, the lots whose marginal price stays there. */
  depthTo(i: number, side: Side, limitTicks: number): number {
    const mid = this.#modelMid(i)
    if (mid === null) return this.#venue.books[i]!.depthTo(bookSide(side), limitTicks)
    const room = side === 'buy' ? mid - limitTicks : limitTicks - mid
    return Math.min(1e9, lotsWithin(this.#model(i).config, room, mid))
  }

  /** Worst price reached taking `lots` from `side` (NO_PRICE if too thin); for a model, its marginal price after `lots`. */
  priceForSize(i: number, side: Side, lots: number): number {
    const mid = this.#modelMid(i)
    if (mid === null) return this.#venue.books[i]!.priceForSize(bookSide(side), lots)
    const moved = impactTicks(this.#model(i).config, lots, mid)
    return side === 'buy' ? Math.max(1, Math.floor(mid - moved)) : Math.ceil(mid + moved)
  }

  /** How instrument `i` executes taking orders: 'book' or an impact model. */
  executionModel(i: number): ExecutionModel {
    return this.#venue.markets.configs[i]!.execution.model
  }

  /** Instrument `i`'s mark price rule. */
  markMethod(i: number): MarkMethod {
    return this.#venue.markets.configs[i]!.mark.method
  }

  /** The funding rate the current interval's premium samples predict (per interval; 0 without funding). */
  predictedFundingRate(i: number): number {
    return this.#venue.markets.predictedFundingRate(i)
  }

  /** The rate of instrument `i`'s last funding settlement (per interval). */
  lastFundingRate(i: number): number {
    return this.#venue.markets.lastFundingRate[i] as number
  }

  /** Simulated ms of instrument `i`'s next funding settlement (meaningful only with funding on). */
  nextFundingMs(i: number): number {
    return this.#venue.markets.nextFundingMs[i] as number
  }

  /** State of asset `k`'s oracle as last announced: live, stale or outage. */
  oracleStatus(k: number): OracleState {
    return this.#venue.markets.oracleStatus(k)
  }

  #modelMid(i: number): number | null {
    return this.#venue.markets.isModel(i) ? this.#venue.markets.modelMidTicks(i, this.#clock.now) : null
  }

  #model(i: number): ImpactState {
    return this.#venue.markets.impact[i] as ImpactState
  }

  // ---- own accounts only ---------------------------------------------------------------------

  /** Signed position (lots) of an owned account. */
  position(account: number, i: number): number {
    this.#check(account)
    return this.#venue.accounts.position(account, i)
  }

  /** Equity of an owned account (cash units). */
  equity(account: number): number {
    this.#check(account)
    return this.#venue.margin.equity(this.#venue.accounts, account)
  }

  /** Maintenance margin of an owned account (cash units). */
  maintenanceMargin(account: number): number {
    this.#check(account)
    return this.#venue.margin.maintenanceMargin(this.#venue.accounts, account)
  }

  /** Initial margin of an owned account (cash units). */
  initialMargin(account: number): number {
    this.#check(account)
    return this.#venue.margin.initialMargin(this.#venue.accounts, account)
  }

  /** Equity − initial margin of an owned account (cash units). */
  availableBalance(account: number): number {
    this.#check(account)
    return this.#venue.margin.availableBalance(this.#venue.accounts, account)
  }

  /** Health (equity / maintenance margin) of an owned account. */
  health(account: number): number {
    this.#check(account)
    return this.#venue.margin.health(this.#venue.accounts, account)
  }

  /** Units of asset `k` an owned account holds (cash units for k = 0). */
  balance(account: number, k: number): number {
    this.#check(account)
    return this.#venue.accounts.balance(account, k)
  }

  /** Mark (ticks) of instrument `i` at which an owned account reaches health 1, other prices fixed; NaN if none. */
  liquidationPriceTicks(account: number, i: number): number {
    this.#check(account)
    return liquidationPriceTicks(this.#venue.margin, this.#venue.accounts, account, i)
  }

  /** Mark (ticks) of instrument `i` at which an owned account's equity reaches 0; NaN if none. */
  bankruptcyPriceTicks(account: number, i: number): number {
    this.#check(account)
    return bankruptcyPriceTicks(this.#venue.margin, this.#venue.accounts, account, i)
  }

  /** Ids of an owned account's resting orders in instrument `i`, written into `out`. */
  openOrders(account: number, i: number, out: number[]): number[] {
    this.#check(account)
    this.#venue.books[i]!.ordersOf(account, out)
    return out
  }

  /** A resting order of an owned account, or undefined. */
  order(account: number, i: number, orderId: number): { side: Side; priceTicks: number; lots: number } | undefined {
    this.#check(account)
    const order = this.#venue.books[i]!.order(orderId)
    if (order === undefined || order.account !== account) return undefined
    return { side: order.side === BUY ? 'buy' : 'sell', priceTicks: order.priceTicks, lots: order.lots }
  }

  #check(account: number): void {
    if (this.#owned !== null && !this.#owned.has(account)) {
      throw new Error(`view: account ${account} is not owned by this agent`)
    }
  }
}

/** Freezes `value` and everything reachable from it. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}
