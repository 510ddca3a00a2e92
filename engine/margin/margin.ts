// Margin arithmetic over the account store: equity, notional, initial and maintenance margin,
// health. Money is in cash units (floats holding whole numbers for cash; requirements are
// fractional). Health = equity / maintenance margin; an account is liquidatable below 1.

import type { AccountStore } from './account_store.js'
import type { InstrumentConfig } from '../venue_config.js'

/** Per-instrument margin parameters laid out flat for the hot loops. */
export class MarginModel {
  readonly instruments: number
  readonly cashPerTickLot: Float64Array
  readonly maintenanceRate: Float64Array
  readonly initialRate: Float64Array
  /** Current mark price per instrument (ticks); owned by the venue. */
  readonly markTicks: Float64Array

  constructor(instruments: readonly InstrumentConfig[]) {
    this.instruments = instruments.length
    this.cashPerTickLot = Float64Array.from(instruments, (x) => x.cashPerTickLot)
    this.maintenanceRate = Float64Array.from(instruments, (x) => x.maintenanceMarginRate)
    this.initialRate = Float64Array.from(instruments, (x) => x.initialMarginRate)
    this.markTicks = new Float64Array(instruments.length)
  }

  /** Equity of account `a` at mark prices (cash units). */
  equity(store: AccountStore, a: number): number {
    let equity = store.cash[a] as number
    const base = a * this.instruments
    for (let i = 0; i < this.instruments; i++) {
      equity += (store.positionLots[base + i] as number) * (this.markTicks[i] as number) * (this.cashPerTickLot[i] as number)
    }
    return equity
  }

  /** Absolute notional of account `a` in instrument `i` at mark (cash units). */
  notional(store: AccountStore, a: number, i: number): number {
    const lots = store.positionLots[a * this.instruments + i] as number
    return (lots < 0 ? -lots : lots) * (this.markTicks[i] as number) * (this.cashPerTickLot[i] as number)
  }

  /** Maintenance margin of account `a` (cash units): Σ notional · maintenance rate. */
  maintenanceMargin(store: AccountStore, a: number): number {
    let margin = 0
    for (let i = 0; i < this.instruments; i++) margin += this.notional(store, a, i) * (this.maintenanceRate[i] as number)
    return margin
  }

  /** Initial margin of account `a` (cash units): Σ notional · initial rate. */
  initialMargin(store: AccountStore, a: number): number {
    let margin = 0
    for (let i = 0; i < this.instruments; i++) margin += this.notional(store, a, i) * (this.initialRate[i] as number)
    return margin
  }

  /** Health = equity / maintenance margin (Infinity with no positions). */
  health(store: AccountStore, a: number): number {
    const maintenance = this.maintenanceMargin(store, a)
    return maintenance === 0 ? Infinity : this.equity(store, a) / maintenance
  }

  /** True if account `a` is below maintenance (health < 1), or flat with negative equity (a deficit to settle). */
  isLiquidatable(store: AccountStore, a: number): boolean {
    return this.equity(store, a) < this.maintenanceMargin(store, a)
  }
}
