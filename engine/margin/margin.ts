// Margin arithmetic over the account store: the one margin model used by the venue, the
// liquidation engine, agents' views and the `cascadelab margin` calculator.
//
//   equity              = cash + Σ_k haircut value of collateral k + Σ_i lots_i · mark_i · cashPerTickLot_i
//                       = wallet balance + unrealised PnL (+ haircut non-cash collateral)
//   maintenance margin  = Σ_i max(0, notional_i · mmr(tier) − maintenance amount(tier))
//   initial margin      = Σ_i notional_i · imr(tier)
//   health              = equity / maintenance margin    (liquidatable below 1)
//   margin ratio        = maintenance margin / equity     (Binance's definition; 1/health)
//   available balance   = equity − initial margin
//
// Each store account is one pool (a cross account or a compartment). Everything here is a pure
// function of the store's columns and the flat parameter and price arrays below: no per-account
// objects, no allocation, so a worker can run it over the same SharedArrayBuffers.
// Money is in cash units (floats; cash and position values hold whole numbers).

import type { AccountStore } from './account_store.js'
import { assetWeight } from './collateral.js'
import { RequirementTable } from './requirements.js'
import type { VenueConfig } from '../venue_config.js'
import { sharedFloat64 } from '../shared_columns.js'

/** Per-instrument and per-asset margin parameters and prices, laid out flat for the hot loops. */
export class MarginModel {
  readonly instruments: number
  readonly assets: number
  readonly cashPerTickLot: Float64Array
  readonly baseAsset: Int32Array
  readonly requirements: RequirementTable
  /** Current mark price per instrument (ticks); owned by the venue. */
  readonly markTicks: Float64Array
  /** Current oracle price per asset (its ticks; the cash asset is 1); owned by the venue. */
  readonly assetPriceTicks: Float64Array
  readonly cashPerTickUnit: Float64Array
  readonly assetUnit: Float64Array
  readonly haircut: Float64Array
  readonly sizePremium: Float64Array

  constructor(config: Pick<VenueConfig, 'instruments' | 'assets'>) {
    const { instruments, assets } = config
    this.instruments = instruments.length
    this.assets = assets.length
    this.cashPerTickLot = Float64Array.from(instruments, (x) => x.cashPerTickLot)
    this.baseAsset = Int32Array.from(instruments, (x) => x.baseAsset)
    this.requirements = new RequirementTable(instruments)
    this.markTicks = sharedFloat64(instruments.length)
    this.assetPriceTicks = sharedFloat64(assets.length)
    this.assetPriceTicks[0] = 1
    this.cashPerTickUnit = Float64Array.from(assets, (x) => x.cashPerTickUnit)
    this.assetUnit = Float64Array.from(assets, (x) => x.unit)
    this.haircut = Float64Array.from(assets, (x) => x.haircut)
    this.sizePremium = Float64Array.from(assets, (x) => x.sizePremium)
  }

  /** Haircut value (cash units) of `units` of asset k at its current oracle price. */
  collateralValueOf(k: number, units: number): number {
    if (units <= 0) return 0
    const weight = assetWeight(this.haircut[k] as number, this.sizePremium[k] as number, units * (this.assetUnit[k] as number))
    return units * (this.assetPriceTicks[k] as number) * (this.cashPerTickUnit[k] as number) * weight
  }

  /** Σ haircut value of account `a`'s non-cash collateral (cash units). */
  collateralValue(store: AccountStore, a: number): number {
    let value = 0
    const base = a * this.assets
    for (let k = 1; k < this.assets; k++) value += this.collateralValueOf(k, store.collateralUnits[base + k] as number)
    return value
  }

  /** Equity of account `a` at mark prices (cash units). */
  equity(store: AccountStore, a: number): number {
    let equity = store.cash[a] as number
    const base = a * this.instruments
    for (let i = 0; i < this.instruments; i++) {
      equity += (store.positionLots[base + i] as number) * (this.markTicks[i] as number) * (this.cashPerTickLot[i] as number)
    }
    return this.assets > 1 ? equity + this.collateralValue(store, a) : equity
  }

  /** Wallet balance of account `a`: cash plus the entry cost of its positions (cash units; no collateral, no unrealised PnL). */
  walletBalance(store: AccountStore, a: number): number {
    let wallet = store.cash[a] as number
    const base = a * this.instruments
    for (let i = 0; i < this.instruments; i++) wallet += (store.entryCostTicks[base + i] as number) * (this.cashPerTickLot[i] as number)
    return wallet
  }

  /** Unrealised PnL of account `a` in instrument `i` at mark (cash units). */
  unrealizedPnl(store: AccountStore, a: number, i: number): number {
    const k = a * this.instruments + i
    return ((store.positionLots[k] as number) * (this.markTicks[i] as number) - (store.entryCostTicks[k] as number)) * (this.cashPerTickLot[i] as number)
  }

  /** Absolute notional of account `a` in instrument `i` at mark (cash units). */
  notional(store: AccountStore, a: number, i: number): number {
    const lots = store.positionLots[a * this.instruments + i] as number
    return (lots < 0 ? -lots : lots) * (this.markTicks[i] as number) * (this.cashPerTickLot[i] as number)
  }

  /** Maintenance margin of account `a` (cash units): Σ per-position tiered requirement. */
  maintenanceMargin(store: AccountStore, a: number): number {
    let margin = 0
    const base = a * this.instruments
    for (let i = 0; i < this.instruments; i++) {
      if (store.positionLots[base + i] !== 0) margin += this.requirements.maintenance(i, this.notional(store, a, i))
    }
    return margin
  }

  /** Initial margin of account `a` (cash units). */
  initialMargin(store: AccountStore, a: number): number {
    let margin = 0
    const base = a * this.instruments
    for (let i = 0; i < this.instruments; i++) {
      if (store.positionLots[base + i] !== 0) margin += this.requirements.initial(i, this.notional(store, a, i))
    }
    return margin
  }

  /** Equity − initial margin (cash units; negative when the account may only reduce). */
  availableBalance(store: AccountStore, a: number): number {
    return this.equity(store, a) - this.initialMargin(store, a)
  }

  /** Health = equity / maintenance margin (Infinity with no positions). */
  health(store: AccountStore, a: number): number {
    const maintenance = this.maintenanceMargin(store, a)
    return maintenance === 0 ? Infinity : this.equity(store, a) / maintenance
  }

  /** Margin ratio = maintenance margin / equity (Infinity at equity ≤ 0 with positions; 0 without). */
  marginRatio(store: AccountStore, a: number): number {
    const maintenance = this.maintenanceMargin(store, a)
    if (maintenance === 0) return 0
    const equity = this.equity(store, a)
    return equity <= 0 ? Infinity : maintenance / equity
  }

  /** True if account `a` is below maintenance (health < 1), or flat with negative equity (a deficit to settle). */
  isLiquidatable(store: AccountStore, a: number): boolean {
    return this.equity(store, a) < this.maintenanceMargin(store, a)
  }
}
