// Venue presets: published margin rules of real venues as data, and their resolution, field by
// field, with a scenario's or calculator file's overrides into the engine's VenueConfig. One
// resolver serves the simulation and `cascadelab margin`, so both evaluate the same rules.
//
//   generic       flat rates (IM 2%, MM 1%), USD settlement — the embedded default scenario's venue
//   binance-usdm  USDT settlement; BTC-PERP = BTCUSDT and ETH-PERP = ETHUSDT notional tier tables
//                 (MM = notional·rate − maintenance amount; IM = 1/leverage of the tier)
//   hyperliquid   USDC settlement; max-leverage-derived tiers: MM rate = 1/(2·max leverage),
//                 IM rate = 1/max leverage, deduction by Hyperliquid's continuity recurrence
//
// Sources (see docs/margin.md for what was and was not verified):
//  - BTCUSDT tiers: Binance announcement "Updates to Leverage and Margin Tiers of Binance Futures
//    Contracts (2021-03-18)" (position brackets, MM rates, leverage; IM = 1/leverage, the announcement's
//    IM column); maintenance amounts from the
//    recurrence in Binance's FAQ, equal to the `cum` values its leverageBracket API returned.
//  - ETHUSDT tiers: NOT verified against an official Binance publication: brackets and rates as
//    circulated in public Binance liquidation calculators (x100 table); amounts by the recurrence.
//  - Hyperliquid: docs "Margin tiers" (mainnet BTC 0–150M 40x, >150M 20x; ETH 0–100M 25x,
//    >100M 15x) and "Liquidations" (maintenance margin = half the initial margin at max leverage).
//  - Haircuts of non-cash collateral, fees, penalties and tick/lot sizes are illustrative defaults,
//    not venue publications (Hyperliquid accepts no BTC/ETH as perp collateral: haircut 1).

import { CASH_ASSET, cashPerTickLot, type AssetConfig, type InstrumentConfig, type VenueConfig } from '../venue_config.js'
import { compileTiers, flatTiers, leverageTier, type TierSpec } from './requirements.js'

/** A bad preset name or override, with the path of the offending field (e.g. "instruments.BTC-PERP.tiers[1].mmr"). */
export class VenueRuleError extends Error {
  override name = 'VenueRuleError'
  constructor(readonly path: string, detail: string) {
    super(`${path}: ${detail}`)
  }
}

/** A tier row as venues publish it (quote currency). */
export interface TierRow {
  /** Upper edge of the bracket, inclusive; omit on the last tier for "no cap". */
  maxNotional?: number
  mmr?: number
  imr?: number
  maintenanceAmount?: number
  /** Hyperliquid style: mmr = 1/(2·maxLeverage), imr = 1/maxLeverage unless given. */
  maxLeverage?: number
}

/** How an instrument's requirements are given: exactly one of tiers, maxLeverage, or imr/mmr. */
export interface RequirementRules {
  tiers?: TierRow[]
  maxLeverage?: number
  imr?: number
  mmr?: number
}

export interface InstrumentRules extends RequirementRules {
  base: string
  /** Settlement asset; must be the venue's cash asset. */
  quote?: string
  tickSize: number
  contractSize: number
  lotSize: number
  marketOrderBandRate: number
  liquidationBandRate: number
  liquidationPenaltyRate: number
}

export interface AssetRules {
  /** Asset per integer unit held. */
  unit: number
  /** Quote per price tick (for collateral-only assets; a perp's base takes the perp's tickSize). */
  priceTick: number
  haircut: number
  sizePremium: number
}

export interface VenuePreset {
  name: string
  cashAsset: string
  cashUnit: number
  takerFeeRate: number
  makerFeeRate: number
  assets: Record<string, AssetRules>
  instruments: Record<string, InstrumentRules>
}

const BANDS = { marketOrderBandRate: 0.05, liquidationBandRate: 0.03, liquidationPenaltyRate: 0.01 }

/** Binance BTCUSDT, 2021-03-18 announcement: brackets (USDT), maintenance rates, max leverage (IM = 1/leverage). */
const BINANCE_BTCUSDT: TierRow[] = [
  [50_000, 0.004, 125], [250_000, 0.005, 100], [1_000_000, 0.01, 50], [10_000_000, 0.025, 20], [20_000_000, 0.05, 10],
  [50_000_000, 0.1, 5], [100_000_000, 0.125, 4], [200_000_000, 0.15, 3], [300_000_000, 0.25, 2], [500_000_000, 0.5, 1],
].map(([maxNotional, mmr, leverage]) => ({ maxNotional, mmr, imr: 1 / leverage! }))

/** Binance ETHUSDT (x100 table; unverified, see the file comment; IM = 2 × MM). The last bracket has no cap here. */
const BINANCE_ETHUSDT: TierRow[] = [
  [10_000, 0.005], [100_000, 0.0065], [500_000, 0.01], [1_000_000, 0.02], [2_000_000, 0.05],
  [5_000_000, 0.1], [10_000_000, 0.125], [20_000_000, 0.15], [undefined, 0.25],
].map(([maxNotional, mmr]) => ({ maxNotional, mmr, imr: Math.min(1, 2 * mmr!) }))

export const VENUE_PRESETS: Record<string, VenuePreset> = {
  generic: {
    name: 'generic', cashAsset: 'USD', cashUnit: 0.001, takerFeeRate: 0.0005, makerFeeRate: 0,
    assets: {
      BTC: { unit: 0.000001, priceTick: 1, haircut: 0.05, sizePremium: 0 },
      ETH: { unit: 0.00001, priceTick: 0.1, haircut: 0.05, sizePremium: 0 },
    },
    instruments: {
      // Penalty 0.5% < target health 1.25 × MM 1%, so partial liquidation can restore health.
      'BTC-PERP': { base: 'BTC', tickSize: 1, contractSize: 1, lotSize: 0.001, imr: 0.02, mmr: 0.01, ...BANDS, liquidationPenaltyRate: 0.005 },
      'ETH-PERP': { base: 'ETH', tickSize: 0.1, contractSize: 1, lotSize: 0.01, imr: 0.02, mmr: 0.01, ...BANDS, liquidationPenaltyRate: 0.005 },
    },
  },
  'binance-usdm': {
    name: 'binance-usdm', cashAsset: 'USDT', cashUnit: 0.000001, takerFeeRate: 0.0005, makerFeeRate: 0.0002,
    assets: {
      BTC: { unit: 0.00000001, priceTick: 0.1, haircut: 0.05, sizePremium: 0 },
      ETH: { unit: 0.00000001, priceTick: 0.01, haircut: 0.05, sizePremium: 0 },
    },
    instruments: {
      'BTC-PERP': { base: 'BTC', tickSize: 0.1, contractSize: 1, lotSize: 0.001, tiers: BINANCE_BTCUSDT, ...BANDS },
      'ETH-PERP': { base: 'ETH', tickSize: 0.01, contractSize: 1, lotSize: 0.001, tiers: BINANCE_ETHUSDT, ...BANDS },
    },
  },
  hyperliquid: {
    name: 'hyperliquid', cashAsset: 'USDC', cashUnit: 0.000001, takerFeeRate: 0.00045, makerFeeRate: 0.00015,
    assets: {
      BTC: { unit: 0.00000001, priceTick: 1, haircut: 1, sizePremium: 0 },
      ETH: { unit: 0.00000001, priceTick: 0.1, haircut: 1, sizePremium: 0 },
    },
    instruments: {
      'BTC-PERP': {
        base: 'BTC', tickSize: 1, contractSize: 1, lotSize: 0.00001, ...BANDS,
        tiers: [{ maxNotional: 150_000_000, maxLeverage: 40 }, { maxLeverage: 20 }],
      },
      'ETH-PERP': {
        base: 'ETH', tickSize: 0.1, contractSize: 1, lotSize: 0.0001, ...BANDS,
        tiers: [{ maxNotional: 100_000_000, maxLeverage: 25 }, { maxLeverage: 15 }],
      },
    },
  },
}

export const PRESET_NAMES = Object.keys(VENUE_PRESETS)

/** Per-instrument overrides: any field of InstrumentRules. */
export type InstrumentOverride = Partial<InstrumentRules>
export type AssetOverride = Partial<AssetRules>

export interface VenueOverrides {
  cashAsset?: string
  cashUnit?: number
  takerFeeRate?: number
  makerFeeRate?: number
  cascadeRoundsMax?: number
  /** Listed instruments, in order (index = instrument id): preset symbols or new ones with their rules. */
  instruments: { symbol: string; rules?: InstrumentOverride }[]
  /** Asset overrides by symbol; assets named here but not a perp's base are collateral-only. */
  assets?: Record<string, AssetOverride>
}

/** Defaults for an asset no preset knows (its priceTick follows its perps when it is a base). */
const NEW_ASSET: AssetRules = { unit: 0.00000001, priceTick: 0.01, haircut: 0, sizePremium: 0 }

/** Builds the engine's VenueConfig from preset `presetName` and `overrides`, field by field. */
export function resolveVenue(presetName: string, overrides: VenueOverrides): VenueConfig {
  const preset = VENUE_PRESETS[presetName]
  if (preset === undefined) throw new VenueRuleError('venue', `unknown preset "${presetName}" (known: ${PRESET_NAMES.join(', ')})`)
  const cashAsset = overrides.cashAsset ?? preset.cashAsset
  const cashUnit = overrides.cashUnit ?? preset.cashUnit
  if (overrides.instruments.length === 0) throw new VenueRuleError('instruments', 'at least one instrument')
  const rules = overrides.instruments.map(({ symbol, rules: override }) => ({
    symbol, rules: completeInstrument(symbol, preset, override ?? {}, cashAsset),
  }))
  const assetSymbols = [cashAsset]
  for (const { rules: r } of rules) if (!assetSymbols.includes(r.base)) assetSymbols.push(r.base)
  for (const symbol of Object.keys(overrides.assets ?? {})) if (!assetSymbols.includes(symbol)) assetSymbols.push(symbol)
  const assets = assetSymbols.map((symbol, k) => resolveAsset(symbol, k, preset, overrides.assets?.[symbol], rules, cashUnit))
  const instruments = rules.map(({ symbol, rules: r }): InstrumentConfig => ({
    symbol,
    baseAsset: assetSymbols.indexOf(r.base),
    tickSize: r.tickSize,
    contractSize: r.contractSize,
    lotSize: r.lotSize,
    cashPerTickLot: cashPerTick(`instruments.${symbol}`, r, cashUnit),
    tiers: compileTiers(tierSpecs(`instruments.${symbol}`, r), cashUnit),
    marketOrderBandRate: r.marketOrderBandRate,
    liquidationBandRate: r.liquidationBandRate,
    liquidationPenaltyRate: r.liquidationPenaltyRate,
  }))
  return {
    preset: preset.name, cashAsset, cashUnit, assets, instruments,
    takerFeeRate: overrides.takerFeeRate ?? preset.takerFeeRate,
    makerFeeRate: overrides.makerFeeRate ?? preset.makerFeeRate,
    cascadeRoundsMax: overrides.cascadeRoundsMax ?? 100_000,
  }
}

/** An instrument's rules: the preset's (or, for a new symbol, tick and lot of the preset's perp on the same base), then the override. */
function completeInstrument(
  symbol: string, venuePreset: VenuePreset, override: InstrumentOverride, cashAsset: string,
): InstrumentRules {
  const path = `instruments.${symbol}`
  const preset = venuePreset.instruments[symbol]
  const base = override.base ?? preset?.base
  if (base === undefined) throw new VenueRuleError(`${path}.base`, 'required for an instrument the preset does not list')
  if (base === cashAsset) throw new VenueRuleError(`${path}.base`, `the base cannot be the settlement asset ${cashAsset}`)
  const quote = override.quote ?? preset?.quote
  if (quote !== undefined && quote !== cashAsset) {
    throw new VenueRuleError(`${path}.quote`, `"${quote}": perpetuals settle in the venue's cash asset "${cashAsset}"`)
  }
  const { tiers: _t, maxLeverage: _l, imr: _i, mmr: _m, ...presetFields } = preset ?? ({} as Partial<InstrumentRules>)
  const { tiers: _t2, maxLeverage: _l2, imr: _i2, mmr: _m2, ...overrideFields } = override
  const sibling = Object.values(venuePreset.instruments).find((x) => x.base === base)
  const sizes = { tickSize: sibling?.tickSize ?? 0.01, contractSize: sibling?.contractSize ?? 1, lotSize: sibling?.lotSize ?? 0.001 }
  const complete = {
    ...sizes, ...BANDS, ...presetFields, ...overrideFields,
    ...pickRequirement(path, override, preset), base,
  } as InstrumentRules
  for (const field of ['tickSize', 'contractSize', 'lotSize'] as const) {
    if (!(complete[field] > 0)) throw new VenueRuleError(`${path}.${field}`, `must be > 0 (got ${complete[field]})`)
  }
  for (const field of ['marketOrderBandRate', 'liquidationBandRate'] as const) {
    if (!(complete[field] > 0 && complete[field] < 1)) throw new VenueRuleError(`${path}.${field}`, `must be in (0, 1) (got ${complete[field]})`)
  }
  if (!(complete.liquidationPenaltyRate >= 0 && complete.liquidationPenaltyRate < 1)) {
    throw new VenueRuleError(`${path}.liquidationPenaltyRate`, `must be in [0, 1) (got ${complete.liquidationPenaltyRate})`)
  }
  return complete
}

/**
 * The requirement rule after override: an override naming tiers, maxLeverage or imr/mmr
 * replaces the preset's rule; a lone imr or mmr completes from a flat preset, else imr = 2·mmr.
 */
function pickRequirement(path: string, override: RequirementRules, preset: RequirementRules | undefined): RequirementRules {
  const tiers = override.tiers !== undefined
  const leverage = override.maxLeverage !== undefined
  const flat = override.imr !== undefined || override.mmr !== undefined
  if (Number(tiers) + Number(leverage) + Number(flat) > 1) throw new VenueRuleError(path, 'give one of tiers, maxLeverage, or imr/mmr')
  if (tiers) return { tiers: override.tiers }
  if (leverage) return { maxLeverage: override.maxLeverage }
  const presetFlat = preset?.imr !== undefined && preset.mmr !== undefined
  if (flat) {
    const mmr = override.mmr ?? (presetFlat && override.imr === undefined ? preset!.mmr! : override.imr! / 2)
    const imr = override.imr ?? (presetFlat && override.mmr === undefined ? preset!.imr! : Math.min(1, 2 * mmr))
    return { imr, mmr }
  }
  if (preset?.tiers !== undefined) return { tiers: preset.tiers }
  if (preset?.maxLeverage !== undefined) return { maxLeverage: preset.maxLeverage }
  if (presetFlat) return { imr: preset!.imr, mmr: preset!.mmr }
  throw new VenueRuleError(path, 'needs margin requirements: tiers, maxLeverage, or imr and mmr')
}

/** Tier specs (quote currency) from an instrument's requirement rules, validated. */
function tierSpecs(path: string, r: RequirementRules): TierSpec[] {
  let specs: TierSpec[]
  if (r.tiers !== undefined) {
    if (r.tiers.length === 0) throw new VenueRuleError(`${path}.tiers`, 'at least one tier')
    specs = r.tiers.map((row, n) => tierSpec(`${path}.tiers[${n}]`, row, n === r.tiers!.length - 1))
  } else if (r.maxLeverage !== undefined) {
    if (!(r.maxLeverage >= 1)) throw new VenueRuleError(`${path}.maxLeverage`, `must be >= 1 (got ${r.maxLeverage})`)
    specs = [leverageTier(r.maxLeverage)]
  } else {
    specs = flatTiers(r.imr!, r.mmr!)
  }
  let previous = 0
  specs.forEach((spec, n) => {
    const where = r.tiers !== undefined ? `${path}.tiers[${n}]` : path
    if (!(spec.maintenanceRate > 0 && spec.maintenanceRate < 1)) throw new VenueRuleError(`${where}.mmr`, `must be in (0, 1) (got ${spec.maintenanceRate})`)
    if (!(spec.initialRate >= spec.maintenanceRate && spec.initialRate <= 1)) {
      throw new VenueRuleError(`${where}.imr`, `must be in [mmr, 1] (got ${spec.initialRate}, mmr ${spec.maintenanceRate})`)
    }
    if (spec.maxNotional !== undefined) {
      if (!(spec.maxNotional > previous)) throw new VenueRuleError(`${where}.maxNotional`, `must exceed the previous tier's (got ${spec.maxNotional})`)
      previous = spec.maxNotional
    }
  })
  return specs
}

function tierSpec(path: string, row: TierRow, last: boolean): TierSpec {
  if (row.maxNotional === undefined && !last) throw new VenueRuleError(`${path}.maxNotional`, 'required on every tier but the last')
  if (row.maxLeverage !== undefined && !(row.maxLeverage >= 1)) throw new VenueRuleError(`${path}.maxLeverage`, `must be >= 1 (got ${row.maxLeverage})`)
  const mmr = row.mmr ?? (row.maxLeverage !== undefined ? 1 / (2 * row.maxLeverage) : undefined)
  if (mmr === undefined) throw new VenueRuleError(`${path}.mmr`, 'required (or maxLeverage)')
  const imr = row.imr ?? (row.maxLeverage !== undefined ? 1 / row.maxLeverage : Math.min(1, 2 * mmr))
  if (row.maintenanceAmount !== undefined && !(row.maintenanceAmount >= 0)) {
    throw new VenueRuleError(`${path}.maintenanceAmount`, `must be >= 0 (got ${row.maintenanceAmount})`)
  }
  return { maxNotional: row.maxNotional, maintenanceRate: mmr, initialRate: imr, maintenanceAmount: row.maintenanceAmount }
}

function cashPerTick(path: string, r: InstrumentRules, cashUnit: number): number {
  try {
    return cashPerTickLot(r.tickSize, r.contractSize * r.lotSize, cashUnit)
  } catch (error) {
    throw new VenueRuleError(path, (error as Error).message)
  }
}

function resolveAsset(
  symbol: string, k: number, preset: VenuePreset, override: AssetOverride | undefined,
  instruments: readonly { symbol: string; rules: InstrumentRules }[], cashUnit: number,
): AssetConfig {
  const path = `assets.${symbol}`
  if (k === CASH_ASSET) {
    if (override?.haircut !== undefined && override.haircut !== 0) throw new VenueRuleError(`${path}.haircut`, 'the settlement asset has no haircut')
    return { symbol, unit: cashUnit, priceTick: 1, cashPerTickUnit: 1, haircut: 0, sizePremium: 0 }
  }
  const rules: AssetRules = { ...NEW_ASSET, ...preset.assets[symbol], ...override }
  const perps = instruments.filter((x) => x.rules.base === symbol)
  if (perps.length > 0) {
    const tick = perps[0]!.rules.tickSize
    const other = perps.find((x) => x.rules.tickSize !== tick)
    if (other !== undefined) throw new VenueRuleError(`instruments.${other.symbol}.tickSize`, `perpetuals on ${symbol} must share one tick size (${tick})`)
    rules.priceTick = tick
  }
  if (!(rules.haircut >= 0 && rules.haircut <= 1)) throw new VenueRuleError(`${path}.haircut`, `must be in [0, 1] (got ${rules.haircut})`)
  if (!(rules.sizePremium >= 0)) throw new VenueRuleError(`${path}.sizePremium`, `must be >= 0 (got ${rules.sizePremium})`)
  if (!(rules.unit > 0)) throw new VenueRuleError(`${path}.unit`, `must be > 0 (got ${rules.unit})`)
  if (!(rules.priceTick > 0)) throw new VenueRuleError(`${path}.priceTick`, `must be > 0 (got ${rules.priceTick})`)
  return {
    symbol, unit: rules.unit, priceTick: rules.priceTick, cashPerTickUnit: (rules.unit * rules.priceTick) / cashUnit,
    haircut: rules.haircut, sizePremium: rules.sizePremium,
  }
}
