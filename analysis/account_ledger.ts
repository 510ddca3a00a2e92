// Every account's cash, deposits and positions, mirrored from the event stream alone (live or
// from a journal), so analysis can value accounts — equity, maintenance margin, health, loss —
// without touching engine internals. It follows the venue's accounting: a trade moves
// lots·price·cashPerTickLot of cash against the position, fees leave the payer, penalties and
// payouts move cash between an account and the insurance fund, bad debt zeroes a deficit.
// A test checks it against the venue's own state after a run.

import type { VenueEvent } from '../engine/events.js'
import { INSURANCE_FUND_ACCOUNT, type VenueConfig } from '../engine/venue_config.js'

/** Cash units and lots per account, marks per instrument; equity at mark as the venue values it. */
export class AccountLedger {
  /** Number of accounts opened so far (ids are dense from 0). */
  accounts = 0
  private cash: number[] = []
  private deposited: number[] = []
  private positionLots: number[] = []
  readonly markTicks: number[]
  private readonly instruments: number
  private readonly cashPerTickLot: number[]
  private readonly maintenanceRate: number[]

  constructor(venue: VenueConfig) {
    this.instruments = venue.instruments.length
    this.cashPerTickLot = venue.instruments.map((i) => i.cashPerTickLot)
    this.maintenanceRate = venue.instruments.map((i) => i.maintenanceMarginRate)
    this.markTicks = venue.instruments.map(() => 0)
  }

  /** Applies one event (in seq order). */
  apply(e: VenueEvent): void {
    switch (e.kind) {
      case 'OpenAccount':
        while (this.accounts <= e.account) this.open()
        break
      case 'Deposit':
        this.cash[e.account] = (this.cash[e.account] ?? 0) + e.amount
        this.deposited[e.account] = (this.deposited[e.account] ?? 0) + e.amount
        break
      case 'BlockTrade':
        this.trade(e.buyer, e.instrument, e.lots, e.priceTicks)
        this.trade(e.seller, e.instrument, -e.lots, e.priceTicks)
        break
      case 'Fill': {
        const signed = e.side === 'buy' ? e.lots : -e.lots
        this.trade(e.taker, e.instrument, signed, e.priceTicks)
        this.trade(e.maker, e.instrument, -signed, e.priceTicks)
        this.move(e.taker, -e.takerFee)
        this.move(e.maker, -e.makerFee)
        break
      }
      case 'MarkPrice':
        this.markTicks[e.instrument] = e.priceTicks
        break
      case 'BackstopTakeover': {
        const signed = e.side === 'buy' ? e.lots : -e.lots
        this.trade(e.account, e.instrument, signed, e.priceTicks)
        this.trade(INSURANCE_FUND_ACCOUNT, e.instrument, -signed, e.priceTicks)
        break
      }
      case 'LiquidationPenalty':
        this.move(e.account, -e.amount)
        this.move(INSURANCE_FUND_ACCOUNT, e.amount)
        break
      case 'FundPayout':
        this.move(INSURANCE_FUND_ACCOUNT, -e.amount)
        this.move(e.account, e.amount)
        break
      case 'BadDebt':
        this.move(e.account, e.amount)
        break
      default:
        break
    }
  }

  /** Equity of account `a` at the current marks (cash units). */
  equity(a: number): number {
    let equity = this.cash[a] ?? 0
    for (let i = 0; i < this.instruments; i++) {
      equity += (this.positionLots[a * this.instruments + i] ?? 0) * (this.markTicks[i] as number) * (this.cashPerTickLot[i] as number)
    }
    return equity
  }

  /** Maintenance margin of account `a` (cash units): Σ |notional at mark| · maintenance rate. */
  maintenanceMargin(a: number): number {
    let margin = 0
    for (let i = 0; i < this.instruments; i++) {
      const lots = Math.abs(this.positionLots[a * this.instruments + i] ?? 0)
      margin += lots * (this.markTicks[i] as number) * (this.cashPerTickLot[i] as number) * (this.maintenanceRate[i] as number)
    }
    return margin
  }

  /** Equity / maintenance margin; null for an account with no position. */
  health(a: number): number | null {
    const maintenance = this.maintenanceMargin(a)
    return maintenance === 0 ? null : this.equity(a) / maintenance
  }

  /** Cash units deposited into account `a` so far. */
  depositedBy(a: number): number {
    return this.deposited[a] ?? 0
  }

  /** Position of account `a` in instrument `i` (lots, signed). */
  positionOf(a: number, i: number): number {
    return this.positionLots[a * this.instruments + i] ?? 0
  }

  private open(): void {
    const a = this.accounts++
    this.cash[a] = 0
    this.deposited[a] = 0
    for (let i = 0; i < this.instruments; i++) this.positionLots[a * this.instruments + i] = 0
  }

  private trade(a: number, i: number, signedLots: number, priceTicks: number): void {
    const k = a * this.instruments + i
    this.positionLots[k] = (this.positionLots[k] ?? 0) + signedLots
    this.move(a, -signedLots * priceTicks * (this.cashPerTickLot[i] as number))
  }

  private move(a: number, amount: number): void {
    this.cash[a] = (this.cash[a] ?? 0) + amount
  }
}
