// Every account's balances and positions, rebuilt from the event stream alone (live or from a
// journal), so analysis can value accounts — equity, maintenance margin, health, loss — without
// reading the venue. It replays the venue's accounting into the engine's own account store and
// margin model (engine/margin/: one margin model, shared with the venue and the calculator): a
// trade moves lots·price·cashPerTickLot of cash against the position, fees leave the payer,
// penalties, payouts and seized collateral move between an account and the insurance fund (or a
// liquidator), liquidator takeovers and ADL trade at their price, socialised losses move cash to
// the bankrupt account, bad debt zeroes a deficit, funding payments move cash between holders,
// transfers move an asset between a parent and its compartment.
// A test checks it against the venue's own state after a run.

import type { Transfer, VenueEvent } from '../engine/events.js'
import { AccountStore } from '../engine/margin/account_store.js'
import { MarginModel } from '../engine/margin/margin.js'
import { INSURANCE_FUND_ACCOUNT, type VenueConfig } from '../engine/venue_config.js'

/** Account balances mirrored from events; valued with the engine's margin model. */
export class AccountLedger {
  private readonly store: AccountStore
  private readonly margin: MarginModel
  /** A Transfer input waits until the next event shows it was not rejected. */
  private pendingTransfer: Transfer | null = null

  constructor(venue: VenueConfig) {
    this.store = new AccountStore(venue.instruments.length, venue.assets.length)
    this.margin = new MarginModel(venue)
  }

  /** Number of accounts opened so far (ids are dense from 0). */
  get accounts(): number {
    return this.store.count
  }

  /** Σ over instruments of account `a`'s absolute position notional at mark (cash units). */
  grossNotional(a: number): number {
    let notional = 0
    for (let i = 0; i < this.store.instruments; i++) notional += this.margin.notional(this.store, a, i)
    return notional
  }

  /** Current mark price per instrument (ticks). */
  get markTicks(): Float64Array {
    return this.margin.markTicks
  }

  /** Applies one event (in seq order). */
  apply(e: VenueEvent): void {
    const pending = this.pendingTransfer
    if (pending !== null) {
      this.pendingTransfer = null
      if (!(e.kind === 'TransferRejected' && e.cause === pending.seq)) this.applyTransfer(pending)
    }
    const store = this.store
    switch (e.kind) {
      case 'OpenAccount':
        store.open(e.parent, e.instrument)
        break
      case 'Deposit':
        store.credit(e.account, e.asset, e.amount)
        if (e.asset === 0) store.deposited[e.account] = (store.deposited[e.account] as number) + e.amount
        break
      case 'Transfer':
        this.pendingTransfer = e
        break
      case 'BlockTrade':
        this.trade(e.buyer, e.instrument, e.lots, e.priceTicks)
        this.trade(e.seller, e.instrument, -e.lots, e.priceTicks)
        break
      case 'Fill': {
        const signed = e.side === 'buy' ? e.lots : -e.lots
        this.trade(e.taker, e.instrument, signed, e.priceTicks)
        this.trade(e.maker, e.instrument, -signed, e.priceTicks)
        store.credit(e.taker, 0, -e.takerFee)
        store.credit(e.maker, 0, -e.makerFee)
        break
      }
      case 'OraclePrice':
        this.margin.assetPriceTicks[e.asset] = e.priceTicks
        break
      case 'MarkPrice':
        this.margin.markTicks[e.instrument] = e.priceTicks
        break
      case 'BackstopTakeover': {
        const signed = e.side === 'buy' ? e.lots : -e.lots
        this.trade(e.account, e.instrument, signed, e.priceTicks)
        this.trade(INSURANCE_FUND_ACCOUNT, e.instrument, -signed, e.priceTicks)
        break
      }
      case 'LiquidatorTakeover': {
        const signed = e.side === 'buy' ? e.lots : -e.lots
        this.trade(e.liquidator, e.instrument, signed, e.priceTicks)
        this.trade(e.account, e.instrument, -signed, e.priceTicks)
        break
      }
      case 'AutoDeleverage': {
        const signed = e.side === 'buy' ? e.lots : -e.lots
        this.trade(e.account, e.instrument, signed, e.priceTicks)
        this.trade(e.bankrupt, e.instrument, -signed, e.priceTicks)
        break
      }
      case 'LiquidatorReward':
        this.move(e.account, e.liquidator, e.amount)
        break
      case 'SocializedLoss':
        this.move(e.account, e.bankrupt, e.amount)
        break
      case 'LiquidationPenalty':
        this.move(e.account, INSURANCE_FUND_ACCOUNT, e.amount)
        break
      case 'FundPayout':
        this.move(INSURANCE_FUND_ACCOUNT, e.account, e.amount)
        break
      case 'CollateralSeized':
        store.credit(e.account, e.asset, -e.units)
        store.credit(INSURANCE_FUND_ACCOUNT, e.asset, e.units)
        this.move(INSURANCE_FUND_ACCOUNT, e.account, e.amount)
        break
      case 'BadDebt':
        store.credit(e.account, 0, e.amount)
        break
      case 'FundingPayment':
        store.credit(e.account, 0, e.amount)
        break
      default:
        break
    }
  }

  /** Equity of account `a` at the current marks and oracle prices (cash units). */
  equity(a: number): number {
    this.flush()
    return this.margin.equity(this.store, a)
  }

  /** Maintenance margin of account `a` (cash units), with the venue's tiers. */
  maintenanceMargin(a: number): number {
    this.flush()
    return this.margin.maintenanceMargin(this.store, a)
  }

  /** Equity / maintenance margin; null for an account with no position. */
  health(a: number): number | null {
    const maintenance = this.maintenanceMargin(a)
    return maintenance === 0 ? null : this.equity(a) / maintenance
  }

  /** Cash units deposited into account `a` so far (the cash asset only). */
  depositedBy(a: number): number {
    return this.store.deposited[a] as number
  }

  /** The trader owning account `a`: its cross parent if `a` is a compartment (isolated or sub-account), else `a`. */
  ownerOf(a: number): number {
    const parent = this.store.parent[a] as number
    return parent >= 0 ? parent : a
  }

  /** Position of account `a` in instrument `i` (lots, signed). */
  positionOf(a: number, i: number): number {
    return this.store.position(a, i)
  }

  /** Units of asset `k` held by account `a` (cash units for k = 0). */
  balanceOf(a: number, k: number): number {
    this.flush()
    return this.store.balance(a, k)
  }

  /** Applies a Transfer still waiting for its (absent) rejection. */
  private flush(): void {
    if (this.pendingTransfer === null) return
    const transfer = this.pendingTransfer
    this.pendingTransfer = null
    this.applyTransfer(transfer)
  }

  private applyTransfer(e: Transfer): void {
    this.store.credit(e.account, e.asset, -e.amount)
    this.store.credit(e.to, e.asset, e.amount)
  }

  private trade(a: number, i: number, signedLots: number, priceTicks: number): void {
    this.store.trade(a, i, signedLots, priceTicks, this.margin.cashPerTickLot[i] as number)
  }

  private move(from: number, to: number, amount: number): void {
    this.store.credit(from, 0, -amount)
    this.store.credit(to, 0, amount)
  }
}
