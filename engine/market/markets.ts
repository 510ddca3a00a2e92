// The venue's market state beyond its books: per instrument, the impact model that executes
// taking orders instead of the book (when one is selected), the mark price rule, funding; per
// asset, the oracle's state. The venue owns one Markets and calls it from apply():
//
//   OraclePrice   → updateMarks(asset)      the oracle component moved
//   MarketTick    → onTick                  premium samples, funding settlements, book-based marks
//   end of input  → updateModelMarks        a model-executed instrument's mark follows its model at once
//   taking order  → execute                 fill against the model (takeLiquidity's model branch)
//
// Book-based marks are re-read on the market clock (every mark intervalMs) and on oracle
// updates, not after every order: each mark change scans every account for liquidation, and
// venues publish marks on a clock too (Binance: every second). A model's price moves only by
// the venue's own executions, so its mark follows at the end of every input, round by round
// (mark → liquidations → model moves → mark …): the cascade iteration P ← P₁ − λ·S(P).
// Every MarkPrice names as cause the last fill in its instrument since its previous mark (the
// trade that moved book or model), else the input that triggered the update.

import { fail } from '../assert.js'
import { NO_CAUSE, type OracleState } from '../events.js'
import type { Venue } from '../venue.js'
import { BUY, NONE, SELL, type BookSide } from './order_book.js'
import { allocateFunding, fundingRate, premiumIndex, PremiumAverage } from './funding.js'
import { averageImpactTicks, ImpactState, impactTicks, lotsWithin } from './impact_model.js'
import { checkMarketConfig, defaultMarketConfig, markReadsMarket, type MarketConfig } from './market_config.js'
import { emaWeight, fundingBasisPrice, median3, midOf, wholeTicks } from './mark_price.js'

const ORACLE_STATES: readonly OracleState[] = ['live', 'stale', 'outage']

/** Market rules and their state for every instrument of a venue. */
export class Markets {
  readonly configs: readonly MarketConfig[]
  /** Impact model state per instrument (null for book-executed instruments). */
  readonly impact: (ImpactState | null)[]
  readonly premiums: PremiumAverage[]
  readonly nextSampleMs: Float64Array
  readonly nextFundingMs: Float64Array
  readonly nextMarkMs: Float64Array
  /** Moving average of (book mid − oracle) per instrument (ticks) and when it was last sampled. */
  readonly basisTicks: Float64Array
  readonly basisAtMs: Float64Array
  readonly basisReady: Uint8Array
  readonly lastFundingRate: Float64Array
  readonly lastFillSeq: Float64Array
  readonly lastMarkSeq: Float64Array
  /** Index into ORACLE_STATES per asset. */
  readonly oracleState: Uint8Array
  /** Σ funding paid and received (cash units); equal after every settlement. */
  fundingPaidTotal = 0
  fundingReceivedTotal = 0
  /** Instruments whose mark follows an impact model after every input. */
  private readonly modelMarked: number[]
  private readonly followsModel = (i: number): boolean => this.modelMarked.includes(i)
  private readonly positions: number[] = []
  private readonly holders: number[] = []
  private readonly amounts: number[] = []

  constructor(private readonly venue: Venue) {
    const instruments = venue.config.instruments
    this.configs = venue.config.markets ?? instruments.map(() => defaultMarketConfig())
    if (!(this.configs.length === instruments.length)) fail(`venue: ${this.configs.length} market configs for ${instruments.length} instruments`)
    this.configs.forEach((c, i) => checkMarketConfig(c, instruments[i]!.symbol))
    const n = instruments.length
    this.impact = this.configs.map((c) => (c.execution.model === 'book' ? null : new ImpactState(c.execution.impact)))
    this.premiums = this.configs.map((c) => new PremiumAverage(c.funding.averaging))
    this.nextSampleMs = Float64Array.from(this.configs, (c) => c.funding.sampleMs)
    this.nextFundingMs = Float64Array.from(this.configs, (c) => c.funding.intervalMs)
    this.nextMarkMs = Float64Array.from(this.configs, (c) => c.mark.intervalMs)
    this.basisTicks = new Float64Array(n)
    this.basisAtMs = new Float64Array(n)
    this.basisReady = new Uint8Array(n)
    this.lastFundingRate = new Float64Array(n)
    this.lastFillSeq = new Float64Array(n).fill(NO_CAUSE)
    this.lastMarkSeq = new Float64Array(n).fill(NO_CAUSE)
    this.oracleState = new Uint8Array(venue.config.assets.length)
    this.modelMarked = this.configs.flatMap((c, i) => (c.execution.model !== 'book' && markReadsMarket(c) ? [i] : []))
  }

  /** True if instrument `i` executes taking orders against an impact model. */
  isModel(i: number): boolean {
    return this.impact[i] !== null
  }

  /** True if the venue needs MarketTick inputs (funding, or a mark that reads the book). */
  get needsClock(): boolean {
    return this.configs.some((c) => c.funding.enabled || markReadsMarket(c))
  }

  /** State of asset `k`'s oracle. */
  oracleStatus(k: number): OracleState {
    return ORACLE_STATES[this.oracleState[k] as number] as OracleState
  }

  setOracleStatus(k: number, status: OracleState): void {
    const index = ORACLE_STATES.indexOf(status)
    if (!(index >= 0)) fail(`venue: oracle status ${String(status)}`)
    this.oracleState[k] = index
  }

  /** Every number of market state in a fixed order, for the state digest (checkpoints only). */
  digestValues(): Float64Array {
    const values: number[] = [this.fundingPaidTotal, this.fundingReceivedTotal]
    for (let i = 0; i < this.configs.length; i++) {
      const model = this.impact[i]
      values.push(model?.permanentTicks ?? 0, model?.transientTicks ?? 0, model?.transientAtMs ?? 0)
      values.push(...(this.premiums[i] as PremiumAverage).state())
      values.push(
        this.nextSampleMs[i] as number, this.nextFundingMs[i] as number, this.nextMarkMs[i] as number,
        this.basisTicks[i] as number, this.basisAtMs[i] as number, this.basisReady[i] as number,
        this.lastFundingRate[i] as number, this.lastFillSeq[i] as number, this.lastMarkSeq[i] as number,
      )
    }
    for (let k = 0; k < this.oracleState.length; k++) values.push(this.oracleState[k] as number)
    return Float64Array.from(values)
  }

  // ---- prices ----------------------------------------------------------------------------------

  /** Price of a model-executed instrument (ticks, fractional): oracle + the model's displacement at `t`. */
  modelMidTicks(i: number, t: number): number {
    const model = this.impact[i] as ImpactState
    const oracle = this.venue.oracleTicksOf(i)
    return oracle > 0 ? oracle + model.offsetAt(t) : 0
  }

  /** Mid of book or model (ticks, fractional), NaN if the book is empty on both sides. */
  bookMidTicks(i: number, t: number): number {
    if (this.isModel(i)) return this.modelMidTicks(i, t)
    const book = this.venue.books[i]!
    const bid = book.bestBid()
    const ask = book.bestAsk()
    return midOf(bid === NONE ? Number.NaN : bid, ask === NONE ? Number.NaN : ask)
  }

  /** Lots of instrument `i` worth the impact notional at the oracle price (≥ 1). */
  impactLots(i: number): number {
    const price = this.venue.oracleTicksOf(i) * (this.venue.margin.cashPerTickLot[i] as number)
    return price > 0 ? Math.max(1, Math.round((this.configs[i] as MarketConfig).impactNotional / price)) : 1
  }

  /** Average fill price (ticks) of selling (`side` BUY: into the bids) or buying the impact notional; NaN if none. */
  impactPrice(i: number, t: number, side: BookSide): number {
    const lots = this.impactLots(i)
    if (!this.isModel(i)) return this.venue.books[i]!.averagePriceForSize(side, lots)
    const mid = this.modelMidTicks(i, t)
    const slippage = averageImpactTicks((this.impact[i] as ImpactState).config, lots, mid)
    return side === BUY ? mid - slippage : mid + slippage
  }

  /** The funding rate the current interval's samples predict (0 without funding). */
  predictedFundingRate(i: number): number {
    const config = this.configs[i] as MarketConfig
    return config.funding.enabled ? fundingRate(config.funding, (this.premiums[i] as PremiumAverage).average()) : 0
  }

  /** Mark price of instrument `i` at `t` under its rule (whole ticks; 0 before the first oracle price). */
  markTicks(i: number, t: number): number {
    const oracle = this.venue.oracleTicksOf(i)
    if (!(oracle > 0)) return 0
    const config = this.configs[i] as MarketConfig
    switch (config.mark.method) {
      case 'oracle':
        return oracle
      case 'book_mid': {
        const mid = this.bookMidTicks(i, t)
        return wholeTicks(Number.isNaN(mid) ? oracle : mid)
      }
      case 'impact_mid': {
        const mid = midOf(this.impactPrice(i, t, BUY), this.impactPrice(i, t, SELL))
        return wholeTicks(Number.isNaN(mid) ? oracle : mid)
      }
      case 'median': {
        const funding = config.funding
        const toFunding = (this.nextFundingMs[i] as number) - t
        const p1 = funding.enabled ? fundingBasisPrice(oracle, this.predictedFundingRate(i), toFunding, funding.intervalMs) : oracle
        const p2 = oracle + (this.basisReady[i] === 1 ? (this.basisTicks[i] as number) : 0) // the oracle itself with basisHalfLifeMs 0
        const mid = this.bookMidTicks(i, t)
        return wholeTicks(median3(p1, p2, Number.isNaN(mid) ? oracle : mid))
      }
      default:
        return fail(`venue: mark method ${String(config.mark.method)}`)
    }
  }

  // ---- mark updates ----------------------------------------------------------------------------

  /**
   * Re-reads the marks of the instruments `select` accepts and emits a MarkPrice for each that
   * changed (cause: with `fillFirst`, the last fill in it since its previous mark if any; else
   * `cause`). Returns the seq of the last MarkPrice emitted, or NO_CAUSE.
   */
  updateMarks(t: number, cause: number, select: (i: number) => boolean, fillFirst: boolean): number {
    const venue = this.venue
    let last = NO_CAUSE
    for (let i = 0; i < this.configs.length; i++) {
      if (!select(i)) continue
      const mark = this.markTicks(i, t)
      if (mark === 0 || venue.margin.markTicks[i] === mark) continue
      venue.margin.markTicks[i] = mark
      const fill = this.lastFillSeq[i] as number
      const why = fillFirst && fill > (this.lastMarkSeq[i] as number) ? fill : cause
      last = venue.emit({ kind: 'MarkPrice', seq: 0, t, cause: why, instrument: i, priceTicks: mark }).seq
      this.lastMarkSeq[i] = last
    }
    return last
  }

  /**
   * After an input: model-executed instruments re-mark to their model, and accounts are
   * liquidated at the new mark, round after round until the mark stops moving (bounded).
   */
  updateModelMarks(t: number, cause: number): void {
    if (this.modelMarked.length === 0) return
    const venue = this.venue
    for (let round = 0; ; round++) {
      if (!(round < venue.config.cascadeRoundsMax)) fail(`venue: more than ${venue.config.cascadeRoundsMax} model mark rounds`)
      const markSeq = this.updateMarks(t, cause, this.followsModel, true)
      if (markSeq === NO_CAUSE) return
      venue.liquidation.onMarkChange(t, markSeq)
      venue.liquidation.settleTouched()
    }
  }

  /**
   * MarketTick: due premium samples and basis samples, then due book-based marks, then due funding
   * settlements (at the new marks). Returns the last MarkPrice seq or NO_CAUSE.
   */
  onTick(t: number, cause: number): number {
    for (let i = 0; i < this.configs.length; i++) {
      const config = this.configs[i] as MarketConfig
      if (config.funding.enabled && t >= (this.nextSampleMs[i] as number)) {
        this.samplePremium(i, t)
        this.nextSampleMs[i] = nextMultiple(t, config.funding.sampleMs)
      }
      if (config.mark.method === 'median' && config.mark.basisHalfLifeMs > 0 && t >= (this.nextMarkMs[i] as number)) this.sampleBasis(i, t)
    }
    this.tickT = t
    const markSeq = this.updateMarks(t, cause, this.markDue, true)
    for (let i = 0; i < this.configs.length; i++) {
      const config = this.configs[i] as MarketConfig
      if (t >= (this.nextMarkMs[i] as number)) this.nextMarkMs[i] = nextMultiple(t, config.mark.intervalMs)
      if (config.funding.enabled && t >= (this.nextFundingMs[i] as number)) {
        this.settleFunding(i, t, cause)
        this.nextFundingMs[i] = nextMultiple(t, config.funding.intervalMs)
      }
    }
    return markSeq
  }

  private tickT = 0
  private readonly markDue = (i: number): boolean =>
    markReadsMarket(this.configs[i] as MarketConfig) && this.tickT >= (this.nextMarkMs[i] as number)

  private sampleBasis(i: number, t: number): void {
    const mid = this.bookMidTicks(i, t)
    if (Number.isNaN(mid)) return
    const basis = mid - this.venue.oracleTicksOf(i)
    if (this.basisReady[i] === 0) {
      this.basisTicks[i] = basis
      this.basisReady[i] = 1
    } else {
      const weight = emaWeight(t - (this.basisAtMs[i] as number), (this.configs[i] as MarketConfig).mark.basisHalfLifeMs)
      this.basisTicks[i] = (this.basisTicks[i] as number) + weight * (basis - (this.basisTicks[i] as number))
    }
    this.basisAtMs[i] = t
  }

  private samplePremium(i: number, t: number): void {
    const index = this.venue.oracleTicksOf(i)
    if (!(index > 0)) return
    const premium = premiumIndex(index, this.impactPrice(i, t, BUY), this.impactPrice(i, t, SELL))
    ;(this.premiums[i] as PremiumAverage).add(premium)
  }

  // ---- funding ---------------------------------------------------------------------------------

  /** Settles instrument `i`'s funding at its mark: a FundingRate, then a FundingPayment per account paying or receiving. */
  private settleFunding(i: number, t: number, cause: number): void {
    const venue = this.venue
    const premiums = this.premiums[i] as PremiumAverage
    const config = this.configs[i] as MarketConfig
    const mark = venue.margin.markTicks[i] as number
    const rate = fundingRate(config.funding, premiums.average())
    const settlement = venue.emit({
      kind: 'FundingRate', seq: 0, t, cause, instrument: i, rate, premium: premiums.average(), samples: premiums.samples, markTicks: mark,
    }).seq
    this.lastFundingRate[i] = rate
    premiums.reset()
    if (rate === 0 || mark <= 0) return
    const store = venue.accounts
    this.positions.length = 0
    this.holders.length = 0
    for (let a = 0; a < store.count; a++) {
      const lots = store.position(a, i)
      if (lots === 0) continue
      this.positions.push(lots)
      this.holders.push(a)
    }
    allocateFunding(this.positions, mark * (venue.margin.cashPerTickLot[i] as number), rate, this.amounts)
    // Move all the cash first, then emit: invariants are checked after every event.
    for (let k = 0; k < this.holders.length; k++) {
      const amount = this.amounts[k] as number
      const a = this.holders[k] as number
      store.addCash(a, amount)
      if (amount < 0) this.fundingPaidTotal -= amount
      else this.fundingReceivedTotal += amount
    }
    for (let k = 0; k < this.holders.length; k++) {
      const amount = this.amounts[k] as number
      if (amount === 0) continue
      const a = this.holders[k] as number
      if (amount < 0) venue.liquidation.touch(a)
      venue.emit({ kind: 'FundingPayment', seq: 0, t, cause: settlement, instrument: i, account: a, lots: this.positions[k] as number, amount })
    }
  }

  // ---- execution against a model ---------------------------------------------------------------

  /**
   * Fills a taking order of `lots` on `side` against instrument `i`'s impact model, no worse than
   * `limitTicks`: as many lots as keep the marginal price within the limit, in one fill at the
   * average price of the curve (rounded a tick against the taker), with the model's counterparty
   * as maker (settled by the venue's onMakerFill, whose match context the caller set). The model
   * is then displaced by I(filled). Returns the lots left unfilled.
   */
  execute(t: number, i: number, taker: number, side: BookSide, limitTicks: number, lots: number): number {
    const venue = this.venue
    const model = this.impact[i] as ImpactState
    const counterparty = (this.configs[i] as MarketConfig).execution.counterparty
    if (taker === counterparty) return lots // the counterparty is never liquidated into itself
    if (!(venue.isAccount(counterparty))) fail(`venue: impact counterparty ${counterparty} of instrument ${i} is not an open account`)
    const mid = this.modelMidTicks(i, t)
    if (!(mid > 0)) return lots
    const room = side === BUY ? limitTicks - mid : mid - limitTicks
    const filled = Math.min(lots, lotsWithin(model.config, room, mid))
    if (!(filled > 0)) return lots
    const slippage = averageImpactTicks(model.config, filled, mid)
    const priceTicks = side === BUY
      ? Math.min(limitTicks, Math.ceil(mid + slippage - 1e-9))
      : Math.max(limitTicks, 1, Math.floor(mid - slippage + 1e-9))
    const moved = impactTicks(model.config, filled, mid)
    venue.onMakerFill(counterparty, NONE, priceTicks, filled)
    model.displace(t, side === BUY ? moved : -moved)
    return lots - filled
  }
}

/** The first multiple of `period` strictly after `t`. */
function nextMultiple(t: number, period: number): number {
  return (Math.floor(t / period) + 1) * period
}
