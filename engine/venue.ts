// The venue: the event-sourced state machine at the centre of cascadelab. `apply(input)` is
// synchronous and deterministic: it checks the input, changes state, and appends the outcome
// events it caused to `outbox` (each stamped with the next seq and its cause). No I/O, clock or
// randomness here; the loop (simulation.ts) and replay (replay.ts) feed it inputs.
//
// Oracles publish asset prices; each perpetual's mark price follows its market rule (oracle,
// book mid, impact mid or Binance's median; market/markets.ts), re-read on oracle updates,
// MarketTick inputs (which also drive funding) and, for instruments executed against an
// impact model instead of the book, after every input. Every price change, and every fill,
// hands the accounts it may have pushed below maintenance to the liquidation engine
// (liquidation/liquidation_engine.ts). Outside the venue, the price process turns liquidation
// fills into external price impact, which the oracle publishes — the loop that turns one
// liquidation into the next. Accounts are cross pools or compartments (isolated positions,
// sub-accounts) of a cross parent; Transfer moves collateral between the two.

import { assert, assertNever, fail } from './assert.js'
import {
  NO_CAUSE, UNSTAMPED,
  type BlockTrade, type CancelOrder, type Deposit, type InputEvent, type MarketTick, type OpenAccount, type OraclePrice, type OutcomeEvent,
  type PlaceOrder, type Side, type Transfer, type TransferRejectReason, type VenueEvent,
} from './events.js'
import { ANY_INSTRUMENT, AccountStore, NO_ACCOUNT } from './margin/account_store.js'
import { MarginModel } from './margin/margin.js'
import { BUY, NONE, OrderBook, SELL, type BookSide, type MatchListener } from './market/order_book.js'
import { Markets } from './market/markets.js'
import { LiquidationEngine } from './liquidation/liquidation_engine.js'
import { checkVenueConfig, INSURANCE_FUND_ACCOUNT, type VenueConfig } from './venue_config.js'
import { SequentialRiskEvaluator, type RiskEvaluator } from './risk/risk_evaluator.js'

const sideName = (side: BookSide): Side => (side === BUY ? 'buy' : 'sell')

/** The venue's complete state and its transition function. */
export class Venue implements MatchListener {
  readonly accounts: AccountStore
  readonly margin: MarginModel
  readonly books: OrderBook[]
  /** Last external reference price per asset (ticks; informational, not used by margin). */
  readonly externalTicks: Float64Array
  /** Units of each non-cash asset deposited so far (index 0 unused: cash is depositsTotal). */
  readonly assetDeposits: Float64Array
  readonly liquidation: LiquidationEngine
  /** Execution models, mark rules, funding and oracle states (market/markets.ts). */
  readonly markets: Markets
  /** Seq the next event will get; equals the number of events so far. */
  nextSeq = 0
  /** Simulated ms of the last applied input. */
  lastT = 0
  /** Cash units deposited so far. */
  depositsTotal = 0
  feesCollected = 0
  badDebtTotal = 0
  /** Outcomes of the last apply(), in seq order. */
  readonly outbox: OutcomeEvent[] = []
  /** Called after each applied input and each emitted outcome (tests check invariants here). */
  afterEvent: ((event: VenueEvent) => void) | null = null

  // Context of the match in progress, read by the MatchListener callbacks (no closures per order).
  private matchT = 0
  private matchCause = NO_CAUSE
  private matchInstrument = 0
  private matchTaker = 0
  private matchSide: BookSide = BUY
  private matchLiquidation = false
  private readonly orderIds: number[] = []

  /** Full margin scans (sequential, or a started PooledRiskEvaluator): results never depend on which. */
  riskEvaluator: RiskEvaluator

  constructor(readonly config: VenueConfig, options: { riskEvaluator?: RiskEvaluator } = {}) {
    checkVenueConfig(config)
    this.riskEvaluator = options.riskEvaluator ?? new SequentialRiskEvaluator()
    this.accounts = new AccountStore(config.instruments.length, config.assets.length)
    this.margin = new MarginModel(config)
    this.books = config.instruments.map(() => new OrderBook())
    this.externalTicks = new Float64Array(config.assets.length)
    this.assetDeposits = new Float64Array(config.assets.length)
    this.liquidation = new LiquidationEngine(this)
    this.markets = new Markets(this)
  }

  /** Applies one input; its outcomes are left in `outbox`. Stamps the input's seq if unstamped. */
  apply(input: InputEvent): void {
    if (input.seq === UNSTAMPED) input.seq = this.nextSeq
    if (!(input.seq === this.nextSeq)) fail(`venue: input seq ${input.seq} but next seq is ${this.nextSeq}`)
    if (!(Number.isInteger(input.t) && input.t >= this.lastT)) fail(`venue: time went backwards (${input.t} < ${this.lastT})`)
    this.nextSeq++
    this.lastT = input.t
    this.outbox.length = 0
    switch (input.kind) {
      case 'OpenAccount':
        this.applyOpenAccount(input)
        break
      case 'Deposit':
        this.applyDeposit(input)
        break
      case 'Transfer':
        this.applyTransfer(input)
        break
      case 'BlockTrade':
        this.applyBlockTrade(input)
        break
      case 'PlaceOrder':
        this.applyPlaceOrder(input)
        break
      case 'CancelOrder':
        this.applyCancel(input)
        break
      case 'ExternalPrice':
        if (!(this.isAsset(input.asset) && input.asset > 0)) fail(`venue: external price for unknown asset ${input.asset}`)
        this.externalTicks[input.asset] = input.priceTicks
        break
      case 'ExternalTrade':
        // Outside the venue: nothing here changes; the journal keeps it for the price chain's causes.
        if (!this.isInstrument(input.instrument)) fail(`venue: external trade in unknown instrument ${input.instrument}`)
        break
      case 'OraclePrice':
        this.applyOraclePrice(input)
        break
      case 'MarketTick':
        this.applyMarketTick(input)
        break
      case 'OracleStatus':
        if (!(this.isAsset(input.asset) && input.asset > 0)) fail(`venue: oracle status for unknown or cash asset ${input.asset}`)
        this.markets.setOracleStatus(input.asset, input.status)
        break
      case 'LiquidationWake':
        this.liquidation.onWake(input)
        break
      case 'LiquidatorBid':
        this.liquidation.onBid(input)
        break
      default:
        assertNever(input)
    }
    this.afterEvent?.(input)
    this.liquidation.settleTouched()
    this.markets.updateModelMarks(input.t, input.seq)
  }

  /** Runs full margin scans on `evaluator` from now on (the caller starts and closes it). */
  useRiskEvaluator(evaluator: RiskEvaluator): void {
    this.riskEvaluator = evaluator
    this.liquidation.index.evaluator = evaluator
  }

  /** True if `account` is an open account id. */
  isAccount(account: number): boolean {
    return Number.isInteger(account) && account >= 0 && account < this.accounts.count
  }

  /** True if `asset` is an asset index. */
  isAsset(asset: number): boolean {
    return Number.isInteger(asset) && asset >= 0 && asset < this.config.assets.length
  }

  /** True if `instrument` is an instrument index. */
  isInstrument(instrument: number): boolean {
    return Number.isInteger(instrument) && instrument >= 0 && instrument < this.books.length
  }

  /** Current oracle price of the base asset of instrument `i`, in its ticks (0 before the first). */
  oracleTicksOf(i: number): number {
    return this.margin.assetPriceTicks[this.margin.baseAsset[i] as number] as number
  }

  // ---- inputs ----------------------------------------------------------------------------------

  private applyOpenAccount(input: OpenAccount): void {
    const store = this.accounts
    if (!(input.account === store.count)) fail(`venue: account ids are dense; expected ${store.count}`)
    if (input.mode === 'cross') {
      if (!(input.parent === NO_ACCOUNT && input.instrument === ANY_INSTRUMENT)) fail('venue: a cross account has no parent or instrument')
    } else {
      if (!(this.isAccount(input.parent) && store.parent[input.parent] === NO_ACCOUNT)) fail(`venue: compartment parent ${input.parent} must be a cross account`)
      const isolated = input.mode === 'isolated'
      if (!(isolated ? this.isInstrument(input.instrument) : input.instrument === ANY_INSTRUMENT)) fail(`venue: ${input.mode} instrument ${input.instrument}`)
    }
    store.open(input.parent, input.instrument)
  }

  private applyDeposit(input: Deposit): void {
    if (!(this.isAccount(input.account))) fail(`venue: deposit to unknown account ${input.account}`)
    if (!(this.isAsset(input.asset))) fail(`venue: deposit of unknown asset ${input.asset}`)
    if (!(Number.isInteger(input.amount) && input.amount > 0)) fail(`venue: deposit amount ${input.amount}`)
    this.accounts.credit(input.account, input.asset, input.amount)
    if (input.asset === 0) {
      this.accounts.deposited[input.account] = (this.accounts.deposited[input.account] as number) + input.amount
      this.depositsTotal += input.amount
    } else {
      this.assetDeposits[input.asset] = (this.assetDeposits[input.asset] as number) + input.amount
    }
  }

  private applyTransfer(input: Transfer): void {
    const reason = this.transferRejectReason(input)
    if (reason !== null) {
      this.emit({ kind: 'TransferRejected', seq: 0, t: input.t, cause: input.seq, account: input.account, to: input.to, reason })
      return
    }
    this.accounts.credit(input.account, input.asset, -input.amount)
    this.accounts.credit(input.to, input.asset, input.amount)
    this.liquidation.touch(input.account)
  }

  /**
   * Why a transfer must be rejected, or null: only between a parent and its own compartment,
   * never more than the source holds (for cash: its wallet balance, as cash itself is net of
   * positions' entry cost), and the source must still meet its initial margin after.
   */
  private transferRejectReason(input: Transfer): TransferRejectReason | null {
    const store = this.accounts
    const { account: from, to, asset, amount } = input
    if (!this.isAccount(from) || !this.isAccount(to) || from === INSURANCE_FUND_ACCOUNT || to === INSURANCE_FUND_ACCOUNT) return 'unknown_account'
    if (store.parent[to] !== from && store.parent[from] !== to) return 'not_related'
    if (!this.isAsset(asset)) return 'unknown_asset'
    if (!(Number.isInteger(amount) && amount > 0)) return 'bad_amount'
    const held = asset === 0 ? this.margin.walletBalance(store, from) : store.balance(from, asset)
    if (amount > held) return 'insufficient_balance'
    const valueOut = asset === 0 ? amount : this.margin.collateralValueOf(asset, held) - this.margin.collateralValueOf(asset, held - amount)
    const equityAfter = this.margin.equity(store, from) - valueOut
    return equityAfter < this.margin.initialMargin(store, from) ? 'insufficient_margin' : null
  }

  private applyBlockTrade(input: BlockTrade): void {
    assert(this.isAccount(input.buyer) && this.isAccount(input.seller), 'venue: block trade between unknown accounts')
    assert(input.buyer !== input.seller, 'venue: block trade with itself')
    if (!(Number.isInteger(input.lots) && input.lots > 0)) fail(`venue: block trade lots ${input.lots}`)
    if (!(Number.isInteger(input.priceTicks) && input.priceTicks > 0)) fail(`venue: block trade price ${input.priceTicks}`)
    if (!(this.mayHold(input.buyer, input.instrument) && this.mayHold(input.seller, input.instrument))) {
      fail(`venue: block trade in instrument ${input.instrument} outside an isolated compartment's instrument`)
    }
    const cpt = this.margin.cashPerTickLot[input.instrument] as number
    this.accounts.trade(input.buyer, input.instrument, input.lots, input.priceTicks, cpt)
    this.accounts.trade(input.seller, input.instrument, -input.lots, input.priceTicks, cpt)
    this.liquidation.touch(input.buyer)
    this.liquidation.touch(input.seller)
  }

  /** True if account `a` may hold positions in instrument `i` (isolated compartments hold one instrument). */
  mayHold(a: number, i: number): boolean {
    const only = this.accounts.onlyInstrument[a] as number
    return only === ANY_INSTRUMENT || only === i
  }

  private applyPlaceOrder(input: PlaceOrder): void {
    const reason = this.rejectReason(input)
    if (reason !== null) {
      this.emit({ kind: 'OrderRejected', seq: 0, t: input.t, cause: input.seq, account: input.account, reason })
      return
    }
    const i = input.instrument
    const book = this.books[i] as OrderBook
    const side: BookSide = input.side === 'buy' ? BUY : SELL
    if (this.markets.isModel(i) && (input.type === 'limit' || input.type === 'post_only')) {
      this.emit({ kind: 'OrderRejected', seq: 0, t: input.t, cause: input.seq, account: input.account, reason: 'no_book' })
      return
    }
    if (input.type === 'post_only' && book.wouldCross(side, input.priceTicks)) {
      this.emit({ kind: 'OrderRejected', seq: 0, t: input.t, cause: input.seq, account: input.account, reason: 'would_take' })
      return
    }
    const limit = input.type === 'market' ? this.bandPrice(i, side, this.config.instruments[i]!.marketOrderBandRate) : input.priceTicks
    this.liquidation.touch(input.account)
    const remaining = this.takeLiquidity(input.t, input.seq, i, input.account, side, limit, input.lots, false)
    if (remaining === 0) return
    if (input.type === 'limit' || input.type === 'post_only') {
      book.add(input.seq, input.account, side, input.priceTicks, remaining)
      this.emit({
        kind: 'OrderRested', seq: 0, t: input.t, cause: input.seq, account: input.account, instrument: i,
        orderId: input.seq, side: input.side, priceTicks: input.priceTicks, lots: remaining,
      })
    } else {
      this.emit({
        kind: 'OrderCancelled', seq: 0, t: input.t, cause: input.seq, account: input.account, instrument: i,
        orderId: input.seq, lots: remaining, reason: 'unfilled',
      })
    }
  }

  /** Why an order must be rejected before it touches the book, or null. */
  private rejectReason(input: PlaceOrder): OutcomeEventReason | null {
    if (!this.isAccount(input.account) || input.account === INSURANCE_FUND_ACCOUNT) return 'unknown_account'
    if (!this.isInstrument(input.instrument)) return 'unknown_instrument'
    if (!this.mayHold(input.account, input.instrument)) return 'instrument_not_allowed'
    if (!Number.isInteger(input.lots) || input.lots <= 0 || input.lots > 1e9) return 'bad_size'
    const mark = this.margin.markTicks[input.instrument] as number
    if (input.type === 'market') {
      if (mark <= 0) return 'bad_price' // no reference price yet
    } else if (!Number.isInteger(input.priceTicks) || input.priceTicks <= 0 || input.priceTicks > 2e9) {
      return 'bad_price'
    }
    return this.breachesInitialMargin(input) ? 'insufficient_margin' : null
  }

  /**
   * Pre-trade check: would the account, filled in full at the order's worst price, have equity
   * below the initial margin of its new position? Orders that only reduce a position pass.
   */
  private breachesInitialMargin(input: PlaceOrder): boolean {
    const i = input.instrument
    const store = this.accounts
    const position = store.position(input.account, i)
    const signed = input.side === 'buy' ? input.lots : -input.lots
    const next = position + signed
    if (Math.abs(next) <= Math.abs(position) && next * position >= 0) return false
    const mark = this.margin.markTicks[i] as number
    if (mark <= 0) return true
    const cpt = this.margin.cashPerTickLot[i] as number
    const worst = input.type === 'market'
      ? this.bandPrice(i, input.side === 'buy' ? BUY : SELL, this.config.instruments[i]!.marketOrderBandRate)
      : input.priceTicks
    const adverseTicks = input.side === 'buy' ? Math.max(0, worst - mark) : Math.max(0, mark - worst)
    const equityAfter = this.margin.equity(store, input.account)
      - input.lots * adverseTicks * cpt
      - input.lots * worst * cpt * this.config.takerFeeRate
    const requirements = this.margin.requirements
    const initialAfter = this.margin.initialMargin(store, input.account)
      - requirements.initial(i, Math.abs(position) * mark * cpt)
      + requirements.initial(i, Math.abs(next) * mark * cpt)
    return equityAfter < initialAfter
  }

  private applyCancel(input: CancelOrder): void {
    const book = this.books[input.instrument]
    if (book === undefined || book.accountOf(input.orderId) !== input.account || !this.isAccount(input.account)) {
      this.emit({ kind: 'OrderRejected', seq: 0, t: input.t, cause: input.seq, account: input.account, reason: 'unknown_order' })
      return
    }
    const lots = book.cancel(input.orderId)
    this.emit({
      kind: 'OrderCancelled', seq: 0, t: input.t, cause: input.seq, account: input.account,
      instrument: input.instrument, orderId: input.orderId, lots, reason: 'user',
    })
  }

  private applyOraclePrice(input: OraclePrice): void {
    const k = input.asset
    if (!(this.isAsset(k) && k > 0)) fail(`venue: oracle price for unknown or cash asset ${k}`)
    if (!(Number.isInteger(input.priceTicks) && input.priceTicks > 0)) fail(`venue: oracle price ${input.priceTicks}`)
    const prices = this.margin.assetPriceTicks
    if (prices[k] === input.priceTicks) return
    prices[k] = input.priceTicks
    // Collateral in asset k was revalued; perpetuals on k get a new mark. Liquidations name the
    // last MarkPrice as cause (the OraclePrice when only collateral moved).
    this.oracleAsset = k
    const markSeq = this.markets.updateMarks(input.t, input.seq, this.onOracleAsset, false)
    this.liquidation.onMarkChange(input.t, markSeq === NO_CAUSE ? input.seq : markSeq)
  }

  private oracleAsset = 0
  private readonly onOracleAsset = (i: number): boolean => this.margin.baseAsset[i] === this.oracleAsset

  /** Time passed for the market rules: marks, premium samples and funding due at this tick. */
  private applyMarketTick(input: MarketTick): void {
    const markSeq = this.markets.onTick(input.t, input.seq)
    if (markSeq !== NO_CAUSE) this.liquidation.onMarkChange(input.t, markSeq)
  }

  // ---- matching ----------------------------------------------------------------------------------

  /**
   * Engine-internal, the one execution primitive (orders and liquidations): sends a taking order
   * into book `i`, or against its impact model when one is selected; returns unfilled lots.
   * Fills are emitted by onMakerFill.
   */
  takeLiquidity(
    t: number, cause: number, i: number, taker: number, side: BookSide, limit: number, lots: number, liquidation: boolean,
  ): number {
    this.matchT = t
    this.matchCause = cause
    this.matchInstrument = i
    this.matchTaker = taker
    this.matchSide = side
    this.matchLiquidation = liquidation
    if (this.markets.isModel(i)) return this.markets.execute(t, i, taker, side, limit, lots)
    return (this.books[i] as OrderBook).match(taker, side, limit, lots, this)
  }

  /** MatchListener: settles one fill between the taker in context and a maker. */
  onMakerFill(maker: number, makerOrderId: number, priceTicks: number, lots: number): void {
    const i = this.matchInstrument
    const taker = this.matchTaker
    const cpt = this.margin.cashPerTickLot[i] as number
    const signed = this.matchSide === BUY ? lots : -lots
    this.accounts.trade(taker, i, signed, priceTicks, cpt)
    this.accounts.trade(maker, i, -signed, priceTicks, cpt)
    const notional = lots * priceTicks * cpt
    // Liquidation orders pay the liquidation penalty instead of a taker fee.
    const takerFee = this.matchLiquidation ? 0 : Math.floor(notional * this.config.takerFeeRate)
    const makerFee = Math.floor(notional * this.config.makerFeeRate)
    this.chargeFee(taker, takerFee)
    this.chargeFee(maker, makerFee)
    this.liquidation.touch(maker)
    this.markets.lastFillSeq[i] = this.emit({
      kind: 'Fill', seq: 0, t: this.matchT, cause: this.matchCause, instrument: i, taker, maker, makerOrderId,
      side: sideName(this.matchSide), priceTicks, lots, takerFee, makerFee, liquidation: this.matchLiquidation,
    }).seq
  }

  /** MatchListener: the taker's own resting order was cancelled (self-trade prevention). */
  onSelfTradeCancel(account: number, orderId: number, lots: number): void {
    this.emit({
      kind: 'OrderCancelled', seq: 0, t: this.matchT, cause: this.matchCause, account,
      instrument: this.matchInstrument, orderId, lots, reason: 'self_trade',
    })
  }

  private chargeFee(account: number, fee: number): void {
    if (fee === 0) return
    this.accounts.addCash(account, -fee)
    this.feesCollected += fee
  }

  /** The price `bandRate` away from mark on the taking side: the worst a taking order may fill at (ticks). */
  bandPrice(i: number, side: BookSide, bandRate: number): number {
    const mark = this.margin.markTicks[i] as number
    return side === BUY ? Math.ceil(mark * (1 + bandRate)) : Math.max(1, Math.floor(mark * (1 - bandRate)))
  }

  /** Engine-internal: moves `amount` cash units between accounts (no checks). */
  transfer(from: number, to: number, amount: number): void {
    this.accounts.addCash(from, -amount)
    this.accounts.addCash(to, amount)
  }

  /** Engine-internal: cancels every resting order of account `a` (reason 'liquidation'). */
  cancelAllOrders(t: number, cause: number, a: number): void {
    for (let i = 0; i < this.books.length; i++) {
      const book = this.books[i] as OrderBook
      book.ordersOf(a, this.orderIds)
      for (const orderId of this.orderIds) {
        const lots = book.cancel(orderId)
        this.emit({ kind: 'OrderCancelled', seq: 0, t, cause, account: a, instrument: i, orderId, lots, reason: 'liquidation' })
      }
    }
  }

  /** Engine-internal: stamps an outcome with the next seq, queues it, and runs the afterEvent hook. */
  emit<E extends OutcomeEvent>(event: E): E {
    event.seq = this.nextSeq++
    this.outbox.push(event)
    this.afterEvent?.(event)
    return event
  }
}

type OutcomeEventReason = Extract<OutcomeEvent, { kind: 'OrderRejected' }>['reason']

export { NONE }
