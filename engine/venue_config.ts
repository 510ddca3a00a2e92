// Venue parameters: everything the engine needs to re-apply a journal (it is written into the
// journal header). Rates are fractions (0.005 = 0.5%); money is in integer cash units, where
// one cash unit is `cashUnit` of the settlement (quote) currency.
//
// Assets: index 0 is the cash asset (the settlement currency, price 1, held in the `cash`
// column); every other asset is collateral valued at its oracle price less a haircut, and may be
// the base of perpetuals. Instruments are linear perpetuals quoted and settled in the cash asset;
// each references its base asset, whose oracle price (in the asset's ticks, which are the
// instrument's ticks) is its mark price. Margin requirements are always a tier table (a flat rate
// is one tier); engine/margin/venue_presets.ts builds them from venues' published rules.

import { assert, fail } from './assert.js'
import type { MarketConfig } from './market/market_config.js'
import { checkLiquidationConfig, type LiquidationConfig } from './liquidation/liquidation_config.js'

/** The cash (settlement) asset's index. */
export const CASH_ASSET = 0

export interface AssetConfig {
  /** e.g. "BTC" */
  symbol: string
  /** Asset per integer unit held (e.g. 0.000001 BTC); for the cash asset, cashUnit. */
  unit: number
  /** Quote currency per price tick of the asset's oracle price (1 for the cash asset). */
  priceTick: number
  /** Cash units per (1 unit held × 1 price tick): unit·priceTick/cashUnit. Valuation only, need not be whole. */
  cashPerTickUnit: number
  /** Collateral counts at (1 − haircut) of its oracle value at small size (1 = not accepted as collateral). */
  haircut: number
  /**
   * Size premium (Drift-style IMF factor): the asset weight is min(1 − haircut, 1.1 / (1 + sizePremium·√size)),
   * size in whole asset. 0 = flat haircut.
   */
  sizePremium: number
}

/** One notional bracket of a requirement table. MM = notional·maintenanceRate − maintenanceAmount. */
export interface MarginTier {
  /** Upper edge of the bracket (cash units, inclusive); the last tier also applies above it. */
  maxNotional: number
  maintenanceRate: number
  initialRate: number
  /** Binance's "maintenance amount" / Hyperliquid's "maintenance deduction" (cash units). */
  maintenanceAmount: number
}

export interface InstrumentConfig {
  /** e.g. "BTC-PERP" */
  symbol: string
  /** Index of the base asset in VenueConfig.assets (its oracle price is the mark). */
  baseAsset: number
  /** Quote currency per price tick (must equal the base asset's priceTick). */
  tickSize: number
  /** Base asset per contract. */
  contractSize: number
  /** Contracts per lot (the size step). */
  lotSize: number
  /** Cash units per (1 lot × 1 tick): tickSize·contractSize·lotSize / cashUnit, an integer. */
  cashPerTickLot: number
  /** Requirement brackets by notional, ascending. */
  tiers: MarginTier[]
  /** Market orders fill no further than this fraction from the mark price. */
  marketOrderBandRate: number
  /** Liquidation orders fill no further than this fraction from the mark (the default liquidation curve's band). */
  liquidationBandRate: number
  /** Penalty charged on liquidated notional (the default liquidation curve's penalty). */
  liquidationPenaltyRate: number
}

export interface VenueConfig {
  /** Venue preset the rules came from ("generic", "binance-usdm", "hyperliquid"). */
  preset: string
  /** Name of the cash (settlement) asset, e.g. "USD"; equals assets[0].symbol. */
  cashAsset: string
  /** Quote currency per cash unit (e.g. 0.001 USD). */
  cashUnit: number
  /** assets[0] is the cash asset. */
  assets: AssetConfig[]
  instruments: InstrumentConfig[]
  /** Taker and maker fees as fractions of traded notional (floored to cash units). */
  takerFeeRate: number
  makerFeeRate: number
  /** Upper bound on liquidation rounds per input (a cascade that exceeds it is a bug). */
  cascadeRoundsMax: number
  /**
   * Per instrument (same order): execution (book or impact model), mark price rule, funding —
   * see market/market_config.ts. Absent: book execution, oracle mark, no funding.
   */
  markets?: MarketConfig[]
  /** Liquidation rules and per-instrument curves; absent = defaultLiquidationConfig(instruments). */
  liquidation?: LiquidationConfig
}

/** The account that holds the insurance fund and acts as backstop. */
export const INSURANCE_FUND_ACCOUNT = 0

/** Derives cashPerTickLot; throws unless tickSize·baseLot is a whole number of cash units (baseLot = contractSize·lotSize). */
export function cashPerTickLot(tickSize: number, baseLot: number, cashUnit: number): number {
  const exact = (tickSize * baseLot) / cashUnit
  const rounded = Math.round(exact)
  if (rounded < 1 || Math.abs(exact - rounded) > 1e-9 * Math.max(1, rounded)) {
    throw new RangeError(
      `tickSize × lot (${tickSize} × ${baseLot}) must be a whole number of cash units (${cashUnit}); got ${exact}`,
    )
  }
  return rounded
}

/** Checks a venue configuration's internal consistency (programming errors, not user input). */
export function checkVenueConfig(config: VenueConfig): void {
  assert(config.instruments.length > 0, 'venue: at least one instrument')
  assert(config.assets.length >= 1 && config.assets[CASH_ASSET]!.symbol === config.cashAsset, 'venue: assets[0] is the cash asset')
  for (const asset of config.assets) {
    if (!(asset.haircut >= 0 && asset.haircut <= 1)) fail(`venue: ${asset.symbol} haircut ${asset.haircut} outside [0, 1]`)
    if (!(asset.sizePremium >= 0)) fail(`venue: ${asset.symbol} sizePremium must be >= 0`)
    if (!(asset.unit > 0 && asset.priceTick > 0 && asset.cashPerTickUnit > 0)) fail(`venue: ${asset.symbol} unit and priceTick must be > 0`)
  }
  for (const instrument of config.instruments) {
    const base = config.assets[instrument.baseAsset]
    if (base === undefined || instrument.baseAsset === CASH_ASSET) fail(`venue: ${instrument.symbol} base asset ${instrument.baseAsset}`)
    if (!(base.priceTick === instrument.tickSize)) fail(`venue: ${instrument.symbol} tickSize must equal ${base.symbol} priceTick`)
    if (!(Number.isInteger(instrument.cashPerTickLot) && instrument.cashPerTickLot >= 1)) fail(`venue: ${instrument.symbol} cashPerTickLot`)
    checkTiers(instrument)
    if (!(instrument.liquidationBandRate > 0 && instrument.liquidationBandRate < 1)) fail(`venue: ${instrument.symbol} liquidation band`)
    if (!(instrument.marketOrderBandRate > 0 && instrument.marketOrderBandRate < 1)) fail(`venue: ${instrument.symbol} market band`)
  }
  assert(config.cascadeRoundsMax >= 1, 'venue: cascadeRoundsMax >= 1')
  if (config.liquidation !== undefined) checkLiquidationConfig(config.liquidation, config.instruments.length)
}

function checkTiers(instrument: InstrumentConfig): void {
  const tiers = instrument.tiers
  if (!(tiers.length >= 1)) fail(`venue: ${instrument.symbol} needs at least one margin tier`)
  let previous = 0
  for (const tier of tiers) {
    if (!(tier.maxNotional > previous)) fail(`venue: ${instrument.symbol} tier caps must increase`)
    if (!(tier.maintenanceRate > 0 && tier.maintenanceRate < 1)) fail(`venue: ${instrument.symbol} maintenance rate must be in (0, 1)`)
    if (!(tier.initialRate >= tier.maintenanceRate)) fail(`venue: ${instrument.symbol} initial rate < maintenance rate`)
    if (!(tier.maintenanceAmount >= 0)) fail(`venue: ${instrument.symbol} maintenance amount must be >= 0`)
    previous = tier.maxNotional
  }
}
