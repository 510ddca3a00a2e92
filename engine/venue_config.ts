// Venue parameters: everything the engine needs to re-apply a journal (it is written into the
// journal header). Rates are fractions (0.005 = 0.5%); money is in integer cash units, where
// one cash unit is `cashUnit` of the quote currency.

import { assert, fail } from './assert.js'

export interface InstrumentConfig {
  /** e.g. "BTC-PERP" */
  symbol: string
  /** Quote currency per price tick (e.g. 1 USD). */
  tickSize: number
  /** Base asset per lot (e.g. 0.001 BTC). */
  lotSize: number
  /** Cash units per (1 lot × 1 tick): tickSize·lotSize / cashUnit, an integer. */
  cashPerTickLot: number
  /** Initial margin as a fraction of notional (1 / max leverage). */
  initialMarginRate: number
  /** Maintenance margin as a fraction of notional. */
  maintenanceMarginRate: number
  /** Market orders fill no further than this fraction from the mark price. */
  marketOrderBandRate: number
  /** Liquidation orders fill no further than this fraction from the mark; the backstop takes the rest. */
  liquidationBandRate: number
  /** Penalty charged on liquidated notional, paid into the insurance fund. */
  liquidationPenaltyRate: number
}

export interface VenueConfig {
  /** Name of the collateral (quote) currency, e.g. "USD". */
  cashAsset: string
  /** Quote currency per cash unit (e.g. 0.001 USD). */
  cashUnit: number
  instruments: InstrumentConfig[]
  /** Taker and maker fees as fractions of traded notional (floored to cash units). */
  takerFeeRate: number
  makerFeeRate: number
  /** Upper bound on liquidation rounds per input (a cascade that exceeds it is a bug). */
  cascadeRoundsMax: number
}

/** The account that holds the insurance fund and acts as backstop. */
export const INSURANCE_FUND_ACCOUNT = 0

/** Derives cashPerTickLot for an instrument; throws unless tickSize·lotSize is a whole number of cash units. */
export function cashPerTickLot(tickSize: number, lotSize: number, cashUnit: number): number {
  const exact = (tickSize * lotSize) / cashUnit
  const rounded = Math.round(exact)
  if (rounded < 1 || Math.abs(exact - rounded) > 1e-9 * Math.max(1, rounded)) {
    throw new RangeError(
      `tickSize × lotSize (${tickSize} × ${lotSize}) must be a whole number of cash units (${cashUnit}); got ${exact}`,
    )
  }
  return rounded
}

/** Checks a venue configuration's internal consistency (programming errors, not user input). */
export function checkVenueConfig(config: VenueConfig): void {
  assert(config.instruments.length > 0, 'venue: at least one instrument')
  for (const instrument of config.instruments) {
    if (!(Number.isInteger(instrument.cashPerTickLot) && instrument.cashPerTickLot >= 1)) fail(`venue: ${instrument.symbol} cashPerTickLot`)
    if (!(instrument.maintenanceMarginRate > 0)) fail(`venue: ${instrument.symbol} maintenance margin rate must be > 0`)
    if (!(instrument.initialMarginRate >= instrument.maintenanceMarginRate)) fail(`venue: ${instrument.symbol} initial < maintenance`)
    if (!(instrument.liquidationBandRate > 0 && instrument.liquidationBandRate < 1)) fail(`venue: ${instrument.symbol} liquidation band`)
    if (!(instrument.marketOrderBandRate > 0 && instrument.marketOrderBandRate < 1)) fail(`venue: ${instrument.symbol} market band`)
  }
  assert(config.cascadeRoundsMax >= 1, 'venue: cascadeRoundsMax >= 1')
}
