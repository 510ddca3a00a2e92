// The scenario: a complete description of one simulated world, in human units (USD, BTC,
// fractions, simulated ms). This schema is the single place where every default is written;
// `cascadelab scenario --print-defaults` prints them. Unknown keys and bad values are rejected
// with the file, the field path, the value and what was expected.

import { readFileSync } from 'node:fs'
import { basename, dirname, isAbsolute, resolve } from 'node:path'
import { z } from 'zod'
import { parse as parseYaml } from 'yaml'
import { defaultPropagatorConfig, EXPONENTIALS_MAX, EXPONENTIALS_MIN } from '../engine/market/propagator.js'
import { LIQUIDATION_DEFAULTS, UNBOUNDED, type LiquidationConfig, type LiquidationCurve } from '../engine/liquidation/liquidation_config.js'
import { PRESET_NAMES, resolveVenue, VenueRuleError, type VenueOverrides } from '../engine/margin/venue_presets.js'
import type { VenueConfig } from '../engine/venue_config.js'
import { UserError } from './errors.js'
import { marketsOf } from './market_scenario.js'
import { schemaError } from './schema_error.js'

const rate = (description: string) => z.number().min(0).max(1).describe(description)
const positive = (description: string) => z.number().positive().describe(description)
const count = (description: string) => z.number().int().min(0).describe(description)
const ms = (description: string) => z.number().int().min(0).describe(description)

/** A strict object of `fields`, each defaulting to `values[key]`. */
function withDefaults<S extends Record<string, z.ZodType>>(fields: S, values: { [K in keyof S]: z.input<S[K]> }) {
  const shape = Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.default(values[k] as never)])) as {
    [K in keyof S]: z.ZodDefault<S[K]>
  }
  return z.strictObject(shape)
}

const latencySchema = z.strictObject({
  minMs: ms('minimum latency from decision to venue (ms)').default(20),
  jitterMs: ms('extra latency, uniform in [0, jitterMs] (ms)').default(30),
})

// A tier row as venues publish it (quote currency): maxNotional (omit on the last), mmr, and
// optionally imr (default 2·mmr), maintenanceAmount (default: the continuity recurrence), or
// maxLeverage instead of the rates (mmr = 1/(2·maxLeverage), imr = 1/maxLeverage).
const tierSchema = z.strictObject({
  maxNotional: positive('upper edge of the bracket (quote currency, inclusive)').optional(),
  mmr: rate('maintenance margin rate').optional(),
  imr: rate('initial margin rate').optional(),
  maintenanceAmount: z.number().min(0).describe('maintenance amount (quote currency)').optional(),
  maxLeverage: z.number().min(1).describe('max leverage of the tier').optional(),
})

// Every field left out takes the venue preset's value (see docs/margin.md); an instrument the
// preset does not list needs `base` and a requirement rule.
const instrumentSchema = z.strictObject({
  symbol: z.string().min(1).default('BTC-PERP'),
  base: z.string().min(1).describe('base asset symbol (its oracle price is the mark)').optional(),
  tickSize: positive('quote currency per price tick').optional(),
  contractSize: positive('base asset per contract').optional(),
  lotSize: positive('contracts per lot (the size step)').optional(),
  initialMarginRate: rate('flat initial margin / notional (1 / max leverage)').optional(),
  maintenanceMarginRate: rate('flat maintenance margin / notional').optional(),
  maxLeverage: z.number().min(1).describe('leverage-derived margin: MM = 1/(2·maxLeverage), IM = 1/maxLeverage').optional(),
  tiers: z.array(tierSchema).min(1).describe('notional tiers (Binance style)').optional(),
  marketOrderBandRate: rate('market orders fill at most this fraction from mark').optional(),
  liquidationBandRate: rate('liquidation orders fill at most this fraction from mark; the backstop takes the rest').optional(),
  liquidationPenaltyRate: rate('penalty on liquidated notional, paid to the insurance fund').optional(),
})

const assetSchema = z.strictObject({
  unit: positive('asset per integer unit held').optional(),
  priceTick: positive('quote currency per price tick (collateral-only assets)').optional(),
  haircut: rate('collateral counts at (1 − haircut) of its oracle value').optional(),
  sizePremium: z.number().min(0).describe('haircut grows with size: weight = min(1 − haircut, 1.1/(1 + sizePremium·√size))').optional(),
})

const venueSchema = z.strictObject({
  preset: z.enum(PRESET_NAMES as [string, ...string[]]).describe('venue rules: generic | binance-usdm | hyperliquid').default('generic'),
  cashAsset: z.string().min(1).describe('settlement asset (default: the preset\'s)').optional(),
  cashUnit: positive('quote currency per integer cash unit (default: the preset\'s)').optional(),
  takerFeeRate: rate('taker fee / notional (default: the preset\'s)').optional(),
  makerFeeRate: rate('maker fee / notional (default: the preset\'s)').optional(),
  cascadeRoundsMax: z.number().int().min(1).default(100_000),
  insuranceFund: z.number().min(0).describe('initial insurance fund (quote currency)').default(250_000),
  instruments: z.array(instrumentSchema).min(1).describe('listed perpetuals, in order; the first is the primary').default([{ symbol: 'BTC-PERP' }]),
  /** One instrument (the pre-multi-instrument form); same as `instruments: [ … ]`. */
  instrument: instrumentSchema.optional(),
  assets: z.record(z.string(), assetSchema).describe('collateral asset overrides by symbol (adds collateral-only assets)').default({}),
})

const shockSchema = z.strictObject({
  atMs: ms('start of the shock (simulated ms)'),
  drop: z.number().gt(-1).lt(1).describe('fraction of the price removed (negative = rise)'),
  durationMs: ms('the drop is spread over this long').default(0),
})

// Market sections (docs/markets.md): external prices, oracles, market rules, makers, arbitrageurs.
// Sizes and distances are in the instrument's lots and ticks, money in the quote currency.

/** Parametric impact in ticks and lots (linear Δp = λ·Q; square root Δp = Y·σ·p·√(Q/V)). */
const impactFields = {
  model: z.enum(['linear', 'square_root']).describe('linear (Kyle) or square_root'),
  ticksPerLot: z.number().min(0).describe('linear: λ, ticks per lot'),
  y: z.number().min(0).describe('square_root: Y (of order 1)'),
  dailyVolatility: rate('square_root: daily volatility σ'),
  dailyVolumeLots: positive('square_root: daily volume V (lots)'),
  transientShare: rate('share of each displacement that decays (0 = all permanent)'),
  halfLifeMs: ms('half-life of the transient part'),
}
const IMPACT_DEFAULTS = {
  model: 'linear' as const, ticksPerLot: 0.02, y: 1, dailyVolatility: 0.03, dailyVolumeLots: 50_000_000, transientShare: 0, halfLifeMs: 60_000,
}
const impactSchema = withDefaults(impactFields, IMPACT_DEFAULTS)
const venueImpactFields = {
  model: impactFields.model, y: impactFields.y, dailyVolatility: impactFields.dailyVolatility,
  dailyVolumeLots: impactFields.dailyVolumeLots, transientShare: impactFields.transientShare, halfLifeMs: impactFields.halfLifeMs,
}
const { ticksPerLot: _lambda, ...VENUE_IMPACT_DEFAULTS } = IMPACT_DEFAULTS
const venueImpactSchema = withDefaults(venueImpactFields, VENUE_IMPACT_DEFAULTS)

const transientImpactFields = {
  ticksPerLot: z.number().min(0).describe('g0: transient impact at τ = 0, ticks per lot of hedge flow (0 = none)'),
  decayExponent: z.number().gt(0).max(1).describe('β of g0·(1 + τ/τ0)^(−β); ½ gives square-root peak impact for spread-out flow'),
  decayScaleMs: positive('τ0 (ms)'),
  exponentials: z.number().int().min(EXPONENTIALS_MIN).max(EXPONENTIALS_MAX).describe('exponentials approximating the power law (the fit holds up to 0.01·2^(K−1)/32·τ0)'),
}
const transientImpactSchema = withDefaults(transientImpactFields, {
  ticksPerLot: 0.004, decayExponent: defaultPropagatorConfig.decayExponent, decayScaleMs: defaultPropagatorConfig.decayScaleMs,
  exponentials: defaultPropagatorConfig.exponentials,
})

const jumpsFields = {
  ratePerHour: z.number().min(0).describe('mean number of jumps per simulated hour (0 = none)'),
  meanDrop: z.number().gt(-1).lt(1).describe('mean relative drop of a jump (negative = rise)'),
  dropStdDev: z.number().min(0).describe('standard deviation of the relative drop'),
}
const jumpsSchema = withDefaults(jumpsFields, { ratePerHour: 0, meanDrop: 0, dropStdDev: 0.02 })

const pathSchema = z.strictObject({
  file: z.string().min(1).describe('CSV file: timestamp,price[,volume] (relative to the working directory)'),
  timestampUnit: z.enum(['ms', 's']).describe('unit of the timestamp column').default('ms'),
})

/** Per-asset price overrides (every field of `price` that describes one asset's path and impact). */
const assetPriceFields = {
  volatilityPerStep: rate('standard deviation of the relative change per step'),
  jumps: z.strictObject(jumpsFields).partial(),
  shocks: z.array(shockSchema),
  path: pathSchema.describe('a recorded path replaces the random walk and jumps (shocks still apply)'),
  venueShare: z.unknown().refine(() => false, {
    message: 'was removed: the venue\'s flow reaches the outside price only through trades placed there (arbitrageurs\' and market makers\' hedges), and its own trades enter the index through oracle.venueShare (docs/markets.md); delete the field',
  }).optional(),
  impactTicksPerLot: z.number().min(0).describe('permanent reference-market price move per lot of net hedge flow reaching it (ticks; linear model)'),
  impact: z.strictObject(venueImpactFields).partial().describe('how hedge flow moves the external price (linear uses impactTicksPerLot)'),
  transientImpact: z.strictObject(transientImpactFields).partial(),
}

const priceSchema = z.strictObject({
  start: positive('start price (quote currency)').default(60_000),
  stepMs: z.number().int().min(1).describe('time between random-walk steps (ms)').default(1000),
  volatilityPerStep: assetPriceFields.volatilityPerStep.default(0.0002),
  jumps: jumpsSchema.default(jumpsSchema.parse({})).describe('Poisson jumps of the random walk'),
  shocks: assetPriceFields.shocks.default([{ atMs: 600_000, drop: 0.08, durationMs: 30_000 }]),
  path: assetPriceFields.path.optional(),
  venueShare: assetPriceFields.venueShare,
  impactTicksPerLot: assetPriceFields.impactTicksPerLot.default(0.004),
  impact: venueImpactSchema.default(venueImpactSchema.parse({})).describe('how hedge flow moves the external price (linear uses impactTicksPerLot)'),
  impactDelayMs: ms('delay before a trade on the reference market moves the external price').default(100),
  transientImpact: transientImpactSchema.default(transientImpactSchema.parse({}))
    .describe('linear model: the reference market is a propagator, G(τ) = impactTicksPerLot + ticksPerLot·(1 + τ/τ0)^(−β) (docs/markets.md)'),
  allowPriceManipulation: z.boolean().describe('accept a permanent square-root impact model, which lets a round trip profit (Huberman–Stanzl); the summary says so').default(false),
  startByAsset: z.record(z.string(), positive('start price (quote currency)'))
    .describe('start prices of assets other than the primary instrument\'s base').default({ BTC: 60_000, ETH: 3_000 }),
  byAsset: z.record(z.string(), z.strictObject(assetPriceFields).partial())
    .describe('per-asset overrides of the fields above, by asset symbol').default({}),
})

const oracleSourceSchema = z.strictObject({
  lagMs: ms('how far behind the external price the source reads').default(0),
  noiseRate: rate('standard deviation of the source\'s relative error per reading').default(0),
})
const oracleFaultSchema = z.strictObject({
  kind: z.enum(['outage', 'stale']).describe('outage: nothing is published; stale: the last price is repeated'),
  atMs: ms('start of the fault'),
  durationMs: z.number().int().min(1).describe('length of the fault (ms)'),
})
const oracleFields = {
  latencyMs: ms('publication delay'),
  heartbeatMs: z.number().int().min(1).describe('maximum time between publications (ms)'),
  deviationRate: rate('relative move that triggers an early publication'),
  sources: z.array(oracleSourceSchema).min(1).describe('sources whose median is published'),
  twapWindowMs: ms('publish the time-weighted average of the median over this window (0 = off)'),
  pollMs: z.number().int().min(1).describe('evaluation period when a source lags or a TWAP runs (ms)'),
  faults: z.array(oracleFaultSchema).describe('scripted outages and stale periods'),
  venueShare: rate('the venue\'s share of global volume: weight of its own last trade price in the published index (book-executed perpetuals only)'),
}
const oracleSchema = z.strictObject({
  latencyMs: oracleFields.latencyMs.default(500),
  heartbeatMs: oracleFields.heartbeatMs.default(3000),
  deviationRate: oracleFields.deviationRate.default(0.0005),
  sources: oracleFields.sources.default([{ lagMs: 0, noiseRate: 0 }]),
  twapWindowMs: oracleFields.twapWindowMs.default(0),
  pollMs: oracleFields.pollMs.default(250),
  faults: oracleFields.faults.default([]),
  venueShare: oracleFields.venueShare.default(0.5),
  byAsset: z.record(z.string(), z.strictObject(oracleFields).partial()).describe('per-asset overrides, by asset symbol').default({}),
})

const markPriceFields = {
  method: z.enum(['oracle', 'book_mid', 'impact_mid', 'median']).describe('oracle | book_mid | impact_mid | median (Binance)'),
  intervalMs: z.number().int().min(1).describe('book-based marks are re-read this often (ms)'),
  basisHalfLifeMs: z.number().int().min(0).describe('median: half-life of the moving basis (ms; 0 = the oracle itself)'),
}
const markPriceSchema = withDefaults(markPriceFields, { method: 'oracle' as const, intervalMs: 1000, basisHalfLifeMs: 150_000 })
const fundingFields = {
  enabled: z.boolean().describe('perpetual funding payments'),
  intervalMs: z.number().int().min(1).describe('time between settlements (ms; Binance 8 h, Hyperliquid 1 h)'),
  sampleMs: z.number().int().min(1).describe('time between premium-index samples (ms)'),
  interestRate8h: z.number().min(-1).max(1).describe('interest rate per 8 h (Binance 0.01%)'),
  clampRate8h: rate('bound on interest − premium per 8 h (Binance 0.05%)'),
  capRate: rate('bound on the funding rate per interval'),
  averaging: z.enum(['mean', 'linear_weights']).describe('mean of samples, or sample k weighted by k (Binance)'),
}
const fundingSchema = withDefaults(fundingFields, {
  enabled: true, intervalMs: 28_800_000, sampleMs: 5000, interestRate8h: 0.0001, clampRate8h: 0.0005, capRate: 0.0075, averaging: 'mean' as const,
})
const instrumentMarketFields = {
  execution: z.enum(['book', 'linear', 'square_root']).describe('book, or fill taking orders against an impact model'),
  impactNotional: positive('notional whose average fill price is the impact bid/ask (quote currency; Binance 200 × max leverage)'),
}
const marketsSchema = z.strictObject({
  execution: instrumentMarketFields.execution.default('book'),
  impact: impactSchema.default(impactSchema.parse({})).describe('the impact model used when execution is not book'),
  markPrice: markPriceSchema.default(markPriceSchema.parse({})),
  funding: fundingSchema.default(fundingSchema.parse({})),
  impactNotional: instrumentMarketFields.impactNotional.default(25_000),
  counterpartyCapital: positive('deposit of the account that takes the other side of impact-model fills (quote currency)').default(1e9),
  byInstrument: z.record(z.string(), z.strictObject({
    execution: instrumentMarketFields.execution.optional(),
    impact: z.strictObject(impactFields).partial().optional(),
    markPrice: z.strictObject(markPriceFields).partial().optional(),
    funding: z.strictObject(fundingFields).partial().optional(),
    impactNotional: instrumentMarketFields.impactNotional.optional(),
  })).describe('per-instrument overrides, by symbol').default({}),
})

const marketMakersSchema = z.strictObject({
  count: count('number of market makers (per instrument quoted)').default(3),
  capital: z.number().min(0).describe('deposit per market maker (quote currency)').default(3_000_000),
  instruments: z.array(z.string().min(1)).describe('symbols quoted, each by `count` makers (default: the primary, if it has a book)').optional(),
  levels: z.number().int().min(1).describe('price levels per side').default(30),
  spacingTicks: z.number().int().min(1).default(10),
  halfSpreadTicks: z.number().int().min(1).default(5),
  lotsPerLevel: z.number().int().min(1).default(300),
  refreshMs: z.number().int().min(1).default(1000),
  maxInventoryLots: z.number().int().min(0).describe('past this inventory the adding side is not quoted').default(60_000),
  resilience: rate('fraction of depleted depth restored per second (1 = all by the next refresh)').default(1),
  calmVolatility: z.number().min(0).describe('realised volatility per √s at base width; quotes widen in proportion above it (0 = never)').default(0),
  volatilityHalfLifeMs: z.number().int().min(1).describe('half-life of the realised-volatility estimate (ms)').default(60_000),
  withdrawVolatility: z.number().min(0).describe('all quotes are pulled while realised volatility per √s exceeds this (0 = never)').default(0),
  withdrawInventoryLots: z.number().int().min(0).describe('all quotes are pulled while |inventory| exceeds this (0 = never)').default(0),
  reference: z.enum(['oracle', 'external', 'mark']).describe('price the ladder centres on').default('oracle'),
  inventorySkew: z.number().min(0).max(1).describe('Avellaneda–Stoikov skew: the ladder shifts against inventory by this share of the book walk that inventory took (0 = re-centre on the reference, 1 = stay where the flow left the book)').default(0.5),
  hedgeRate: rate('fraction of inventory hedged on the reference market per second (0 = warehouse it)').default(0),
  latency: latencySchema.default({ minMs: 20, jitterMs: 30 }),
})

const arbitrageursSchema = z.strictObject({
  count: count('number of arbitrageurs between the venue and the external price').default(2),
  capital: z.number().min(0).describe('deposit per arbitrageur (quote currency)').default(1_000_000),
  instrument: z.string().min(1).describe('symbol traded (default: the primary)').optional(),
  edgeRate: rate('minimum relative gap between venue and external price worth trading').default(0.001),
  maxLeverage: positive('position notional may reach this multiple of equity').default(5),
  lotsMax: z.number().int().min(1).describe('largest order (lots)').default(5_000),
  pollMs: z.number().int().min(1).describe('time between checks without an external observation (ms)').default(1000),
  hedge: z.boolean().describe('hedge every venue fill with the opposite trade on the reference market (moves the external price)').default(true),
  latency: latencySchema.default({ minMs: 10, jitterMs: 20 }),
})

const noiseTradersSchema = z.strictObject({
  count: count('number of noise traders').default(20),
  capital: z.number().min(0).describe('deposit per noise trader (quote currency)').default(100_000),
  meanIntervalMs: positive('mean time between orders (ms)').default(3000),
  lotsMax: z.number().int().min(1).describe('largest order (lots); uniform sizes are in [1, lotsMax]').default(50),
  sizeDistribution: z.enum(['uniform', 'lognormal']).describe('order sizes: uniform in [1, lotsMax], or lognormal capped at lotsMax').default('uniform'),
  lotsMedian: positive('lognormal sizes: median (lots)').default(10),
  lotsSigma: z.number().min(0).describe('lognormal sizes: standard deviation of ln(size)').default(1),
  maxLeverage: positive('above this leverage a noise trader only reduces').default(5),
  latency: latencySchema.default({ minMs: 50, jitterMs: 200 }),
})

// Healthy starts (agents/population_health.ts): no population account may start below
// startHealthMin × its maintenance margin at the start price; drawn accounts are clamped, stated
// bounds that cannot start healthy are rejected, unless allowUnhealthyStart (reported in the summary).
const startHealthFields = {
  startHealthMin: z.number().min(1).describe('least health (equity / maintenance margin) an account may start with; drawn accounts below are clamped').default(1.1),
  allowUnhealthyStart: z.boolean().describe('let accounts start below startHealthMin, even below maintenance (counted in the summary)').default(false),
}

const populationSchema = z.strictObject({
  pairs: count('long/short pairs of passive leveraged accounts').default(2000),
  lotsMin: z.number().int().min(1).default(10),
  lotsMax: z.number().int().min(1).default(400),
  leverageMin: z.number().min(1).default(2),
  leverageMax: z.number().min(1).default(25),
  instrument: z.string().min(1).describe('symbol of the instrument traded (default: the primary)').optional(),
  marginMode: z.enum(['cross', 'isolated']).describe('cross: one pool per account; isolated: the position in its own compartment').default('cross'),
  isolatedMarginShare: rate('isolated mode: share of each deposit allocated to the position (the rest stays in the cross wallet)').default(0.5),
  collateral: z.record(z.string(), rate('share of the deposit value posted in this asset')).describe('non-cash collateral, by asset symbol').default({}),
  ...startHealthFields,
})

// `populations:` — passive accounts described by distributions (docs/agents.md): each entry is
// `count` traders with lognormal (or fixed, or mixed) collateral and leverage, a long share, an
// entry price spread and a margin mode, or an explicit `accounts` list, opened at t = 0 against
// a counterparty account funded with the entry's total notional.
const distributionSchema = z.strictObject({
  value: positive('every account gets this').optional(),
  median: positive('lognormal: the median').optional(),
  sigma: z.number().min(0).describe('lognormal: standard deviation of the logarithm').optional(),
  min: z.number().min(0).describe('lognormal draws are clamped to [min, max]').optional(),
  max: positive('lognormal draws are clamped to [min, max]').optional(),
  mix: z.array(z.strictObject({ value: positive('a value'), weight: positive('its relative weight') })).min(1).optional(),
}).superRefine((d, context) => {
  const lognormal = d.median !== undefined || d.sigma !== undefined
  const forms = [d.value !== undefined, lognormal, d.mix !== undefined].filter(Boolean).length
  if (forms !== 1) {
    context.addIssue({ code: 'custom', message: 'give exactly one of { value }, { median, sigma, min?, max? } (lognormal) or { mix: [{ value, weight }, …] }' })
  } else if (lognormal && (d.median === undefined || d.sigma === undefined)) {
    context.addIssue({ code: 'custom', path: [d.median === undefined ? 'median' : 'sigma'], message: 'a lognormal needs both median and sigma' })
  } else if (!lognormal && (d.min !== undefined || d.max !== undefined)) {
    context.addIssue({ code: 'custom', path: [d.min !== undefined ? 'min' : 'max'], message: 'min and max bound a lognormal only' })
  }
}).describe('{ value } | { median, sigma, min?, max? } (lognormal) | { mix: [{ value, weight }, …] }')
export type DistributionSpec = z.infer<typeof distributionSchema>

const populationSpecSchema = z.strictObject({
  count: count('number of accounts (ignored when accounts is given)').default(1000),
  instrument: z.string().min(1).describe('symbol traded (default: the primary)').optional(),
  collateral: distributionSchema.describe('deposit per account (quote currency)').default({ median: 10_000, sigma: 1 }),
  leverage: distributionSchema.describe('notional at entry / deposit').default({ mix: [{ value: 3, weight: 0.5 }, { value: 10, weight: 0.3 }, { value: 25, weight: 0.2 }] }),
  longShare: rate('probability that an account is long').default(0.5),
  entrySpreadRate: z.number().min(0).max(0.5).describe('entry price = start × (1 + entrySpreadRate × z), z standard normal').default(0),
  marginMode: z.enum(['cross', 'isolated']).describe('cross: one pool per account; isolated: the position in its own compartment').default('cross'),
  isolatedMarginShare: rate('isolated mode: share of each deposit moved into the position\'s compartment').default(0.5),
  collateralAssets: z.record(z.string(), rate('share of the deposit value posted in this asset')).describe('non-cash collateral, by asset symbol').default({}),
  accounts: z.array(z.strictObject({
    collateral: positive('deposit (quote currency)'),
    leverage: positive('notional at entry / deposit'),
    side: z.enum(['long', 'short']),
    entryPrice: positive('entry price (quote currency; default: the start price)').optional(),
  })).describe('an explicit list of accounts instead of draws').optional(),
  ...startHealthFields,
})
export type PopulationSpec = z.infer<typeof populationSpecSchema>

// Liquidation: venue-wide rules, and per-instrument curves by position size (quote currency).
// Every curve field left out takes the section's value (penaltyRate and bandRate: the
// instrument's liquidationPenaltyRate and liquidationBandRate). See docs/liquidation.md.
const curvePointSchema = z.strictObject({
  notional: positive('table: upper edge of the bracket (quote currency, inclusive; omit on the last row); curve: the point\'s notional').optional(),
  penaltyRate: rate('penalty on closed notional').optional(),
  bandRate: z.number().gt(0).lt(1).describe('book orders fill at most this fraction from mark').optional(),
  targetHealth: z.number().min(1).describe('health a partial step restores').optional(),
  stepShareMax: z.number().gt(0).max(1).describe('largest share of the position closed per step').optional(),
  stepNotionalMax: positive('largest notional closed per step (quote currency)').optional(),
})

const curveSchema = z.strictObject({
  shape: z.enum(['table', 'curve']).describe('table: brackets by notional; curve: points joined by straight lines').default('table'),
  points: z.array(curvePointSchema).min(1),
})

const liquidationSchema = z.strictObject({
  fullBelowHealth: rate('below this health (equity / maintenance margin) a step closes everything (1 = always full)').default(LIQUIDATION_DEFAULTS.fullBelowHealth),
  targetHealth: z.number().min(1).describe('health a partial step restores').default(LIQUIDATION_DEFAULTS.targetHealth),
  stepIntervalMs: ms('minimum time between two partial steps of one account').default(LIQUIDATION_DEFAULTS.stepIntervalMs),
  stepShareMax: z.number().gt(0).max(1).describe('largest share of a position closed per step').default(LIQUIDATION_DEFAULTS.stepShareMax),
  stepNotionalMax: positive('largest notional closed per step (quote currency; default: no cap)').optional(),
  crossOrder: z.enum(['largest', 'riskiest']).describe('cross pools: close the largest position, or the one with the highest maintenance rate, first').default(LIQUIDATION_DEFAULTS.crossOrder),
  liquidatorPenaltyShare: rate('share of the penalty paid to the liquidator that took the position').default(LIQUIDATION_DEFAULTS.liquidatorPenaltyShare),
  auctionMs: ms('how long a remainder the book did not take is offered to liquidators (only with liquidators.count > 0)').default(500),
  fundReserve: z.number().min(0).describe('the insurance fund pays and takes positions only above this (quote currency)').default(LIQUIDATION_DEFAULTS.fundReserve),
  deficit: z.enum(['adl', 'socialized']).describe('losses beyond the fund: auto-deleveraging, or socialised across opposing holders').default(LIQUIDATION_DEFAULTS.deficitMode),
  // The fund as a balance sheet (engine/liquidation/insurance_fund.ts): scenarios unwind by default.
  fundUnwindIntervalMs: ms('time between the insurance fund\'s unwind orders while it holds positions (0: it keeps what it takes)').default(1000),
  fundUnwindNotionalMax: positive('largest notional of one unwind order, per instrument (quote currency)').default(50_000),
  fundUnwindBandRate: z.number().gt(0).lt(1).describe('unwind orders fill no further than this fraction from mark').default(LIQUIDATION_DEFAULTS.fundUnwindBandRate),
  fundShortfall: z.enum(['write_off', 'deleverage']).describe('deficit adl, fund equity below zero: write the shortfall off as the fund\'s bad debt and keep unwinding its positions, or auto-deleverage them (no market flow)').default(LIQUIDATION_DEFAULTS.fundShortfall),
  fundPositionNotionalMax: positive('risk limit: the backstop takes no more than this notional per instrument (quote currency; default: none)').optional(),
  liquidationDelayMs: ms('liquidation latency: time from finding an account liquidatable to its first step (gap risk)').default(LIQUIDATION_DEFAULTS.liquidationDelayMs),
  curves: z.record(z.string(), curveSchema).describe('per-instrument liquidation curves, by symbol').default({}),
})

const liquidatorsSchema = z.strictObject({
  count: count('number of liquidator agents bidding in liquidation auctions').default(0),
  capital: z.number().min(0).describe('deposit per liquidator (quote currency)').default(500_000),
  capitalUseMax: rate('share of its available balance a liquidator commits to one bid').default(0.5),
  rewardRateMin: rate('bids only when the auction\'s reward rate is at least this').default(0),
  unwindIntervalMs: z.number().int().min(1).describe('time between the market orders that unwind what it took (ms)').default(2000),
  unwindLotsMax: z.number().int().min(1).describe('lots per unwinding order').default(50),
  latency: latencySchema.default({ minMs: 30, jitterMs: 100 }),
})

// The `agents:` list (docs/agents.md): each entry is `count` agents of a built-in `type`, or of a
// researcher's `module` (a JS file whose default export is an Agent class or factory; the path is
// relative to the scenario file), each on its own account funded with `capital` (quote
// currency) and `collateral` (whole units of other assets, e.g. { BTC: 2 }). A built-in's params
// take the defaults below; a module's params are passed as given.
const referencePrice = z.enum(['mark', 'oracle', 'external']).describe('price the agent reads: mark | oracle | external')
const trendFollowerParams = z.strictObject({
  pollMs: z.number().int().min(1).describe('time between decisions (ms)').default(1000),
  lookbackMs: z.number().int().min(1).describe('momentum is measured over this window (ms)').default(60_000),
  entryRate: positive('relative move over the window that opens a position').default(0.005),
  exitRate: z.number().min(0).describe('below this |momentum| the position is closed').default(0.001),
  leverage: positive('target notional / equity in a trend').default(5),
  lotsMax: z.number().int().min(1).describe('largest order (lots)').default(200),
  reference: referencePrice.default('mark'),
})
const basisTraderParams = z.strictObject({
  hedgeRatio: z.number().min(0).describe('short base size / base size held as collateral (1 = fully hedged)').default(1),
  rebalanceLots: z.number().int().min(1).describe('re-hedge when the short is this many lots off target').default(5),
  pollMs: z.number().int().min(1).describe('time between checks (ms)').default(5000),
  lotsMax: z.number().int().min(1).describe('largest order (lots)').default(500),
})
const valueTraderParams = z.strictObject({
  pollMs: z.number().int().min(1).describe('time between decisions (ms)').default(2000),
  anchorHalfLifeMs: z.number().int().min(1).describe('half-life of the moving anchor (ms)').default(600_000),
  dipRate: positive('buys while the price is this fraction or more below the anchor').default(0.03),
  lotsPerBuy: z.number().int().min(1).describe('lots bought (or sold once reverted) per decision').default(20),
  maxLeverage: positive('position notional may not exceed this multiple of equity (its limited capital)').default(1),
  reference: referencePrice.default('mark'),
})
const panicSellerParams = z.strictObject({
  side: z.enum(['long', 'short']).describe('side of the position it opens').default('long'),
  leverage: z.number().min(0).describe('notional / equity of the position it opens (0 = none)').default(10),
  panicHealth: z.number().min(0).describe('health (equity / maintenance margin) under which it de-risks').default(1.5),
  deRiskShare: z.number().gt(0).max(1).describe('share of the position closed per de-risking order').default(0.5),
  pollMs: z.number().int().min(1).describe('time between health checks (ms)').default(1000),
  lotsMax: z.number().int().min(1).describe('largest order (lots)').default(200),
})
const agentSection = { count: true, capital: true, latency: true } as const

/** Params of each built-in agent type, with defaults (the sections above, less count/capital/latency/instrument). */
export const AGENT_PARAMS = {
  noise_trader: noiseTradersSchema.omit(agentSection),
  market_maker: marketMakersSchema.omit({ ...agentSection, instruments: true }),
  arbitrageur: arbitrageursSchema.omit({ ...agentSection, instrument: true }),
  liquidator: liquidatorsSchema.omit(agentSection),
  trend_follower: trendFollowerParams,
  basis_trader: basisTraderParams,
  value_trader: valueTraderParams,
  panic_seller: panicSellerParams,
}
export type AgentType = keyof typeof AGENT_PARAMS
export const AGENT_TYPES = Object.keys(AGENT_PARAMS) as AgentType[]

const agentEntrySchema = z.strictObject({
  type: z.enum(AGENT_TYPES as [AgentType, ...AgentType[]]).describe(`built-in agent: ${AGENT_TYPES.join(' | ')}`).optional(),
  module: z.string().min(1).describe('agent module (.js/.mjs), relative to the scenario file').optional(),
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only').describe('agent names are <name>-<k> (default: the type or module file name)').optional(),
  count: count('number of agents of this entry').default(1),
  capital: z.number().min(0).describe('cash deposit per agent (quote currency)').default(100_000),
  collateral: z.record(z.string(), positive('units of the asset (e.g. 2 = 2 BTC)')).describe('non-cash collateral per agent, by asset symbol').default({}),
  instrument: z.string().min(1).describe('symbol traded (default: the primary)').optional(),
  latency: latencySchema.default({ minMs: 20, jitterMs: 30 }),
  params: z.record(z.string(), z.unknown()).describe('the agent\'s parameters (built-ins: defaults filled in)').default({}),
})
export type AgentEntry = z.infer<typeof agentEntrySchema>

export const scenarioSchema = z.strictObject({
  name: z.string().min(1).default('default'),
  description: z.string().default('BTC-PERP, 4,000 passive leveraged accounts, an 8% exogenous drop at minute 10'),
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(1),
  durationMs: z.number().int().min(1).describe('simulated time (ms)').default(1_800_000),
  checkpointEvery: z.number().int().min(1).describe('events between state-digest checkpoints').default(10_000),
  venue: venueSchema.default(venueSchema.parse({})),
  price: priceSchema.default(priceSchema.parse({})),
  oracle: oracleSchema.default(oracleSchema.parse({})),
  markets: marketsSchema.default(marketsSchema.parse({})),
  marketMakers: marketMakersSchema.default(marketMakersSchema.parse({})),
  noiseTraders: noiseTradersSchema.default(noiseTradersSchema.parse({})),
  arbitrageurs: arbitrageursSchema.default(arbitrageursSchema.parse({})),
  population: populationSchema.default(populationSchema.parse({})),
  liquidation: liquidationSchema.default(liquidationSchema.parse({})),
  liquidators: liquidatorsSchema.default(liquidatorsSchema.parse({})),
  agents: z.array(agentEntrySchema).describe('agents by built-in type or module (docs/agents.md)').default([]),
  populations: z.array(populationSpecSchema).describe('passive populations described by distributions (docs/agents.md)').default([]),
})

export type Scenario = z.infer<typeof scenarioSchema>

/** The embedded default scenario. */
export function defaultScenario(): Scenario {
  return scenarioSchema.parse({})
}

/** Validates a parsed scenario object; `source` names it in errors (a file path). */
export function parseScenario(raw: unknown, source: string): Scenario {
  const result = scenarioSchema.safeParse(raw)
  if (!result.success) throw schemaError(source, raw, result.error)
  const scenario = result.data
  const checks: [boolean, string][] = [
    [scenario.population.lotsMin <= scenario.population.lotsMax, 'population.lotsMin must be <= population.lotsMax'],
    [scenario.population.leverageMin <= scenario.population.leverageMax, 'population.leverageMin must be <= population.leverageMax'],
    [Object.values(scenario.population.collateral).reduce((x, y) => x + y, 0) <= 1, 'population.collateral shares must sum to at most 1'],
    ...scenario.populations.map((spec, n): [boolean, string] => [
      Object.values(spec.collateralAssets).reduce((x, y) => x + y, 0) <= 1, `populations.${n}.collateralAssets shares must sum to at most 1`,
    ]),
  ]
  for (const [ok, message] of checks) if (!ok) throw new UserError(`${source}: ${message}`)
  resolveAgentParams(scenario, raw, source)
  if (scenario.venue.instrument !== undefined) {
    if ((raw as { venue?: { instruments?: unknown } }).venue?.instruments !== undefined) {
      throw new UserError(`${source}: venue: give venue.instruments or venue.instrument, not both`)
    }
    scenario.venue.instruments = [scenario.venue.instrument]
    delete scenario.venue.instrument
  }
  venueConfigOf(scenario, source) // resolve now: bad venue rules are reported with the file
  return scenario
}

/** Checks each `agents:` entry names a type or a module (not both) and fills in a built-in's params. */
function resolveAgentParams(scenario: Scenario, raw: unknown, source: string): void {
  const names = new Set<string>()
  scenario.agents.forEach((entry, n) => {
    if ((entry.type === undefined) === (entry.module === undefined)) {
      throw new UserError(`${source}: agents.${n}: give either type (${AGENT_TYPES.join(' | ')}) or module (a file), ${entry.type === undefined ? 'not neither' : 'not both'}`)
    }
    const name = agentEntryName(entry)
    if (names.has(name)) throw new UserError(`${source}: agents.${n}: another entry is also named "${name}"; give each a distinct name`)
    names.add(name)
    if (entry.type === undefined) return
    const result = AGENT_PARAMS[entry.type].safeParse(entry.params)
    if (!result.success) {
      const issues = result.error.issues.map((issue) => ({ ...issue, path: ['agents', n, 'params', ...issue.path] }))
      throw schemaError(source, raw, new z.ZodError(issues))
    }
    entry.params = result.data as Record<string, unknown>
  })
}

/** The name an `agents:` entry's agents share (each is `<name>-<k>`): its name, type or module file name. */
export function agentEntryName(entry: AgentEntry): string {
  if (entry.name !== undefined) return entry.name
  if (entry.type !== undefined) return entry.type
  return basename(entry.module!).replace(/\.[cm]?js$/, '')
}

/** The scenario's venue section as preset overrides (scenario names → preset rule names). */
function venueOverridesOf(scenario: Scenario): VenueOverrides {
  const { venue, population } = scenario
  const assets: VenueOverrides['assets'] = { ...venue.assets }
  for (const symbol of Object.keys(population.collateral)) assets[symbol] ??= {}
  for (const entry of scenario.agents) for (const symbol of Object.keys(entry.collateral)) assets[symbol] ??= {}
  for (const spec of scenario.populations) for (const symbol of Object.keys(spec.collateralAssets)) assets[symbol] ??= {}
  return {
    cashAsset: venue.cashAsset, cashUnit: venue.cashUnit, takerFeeRate: venue.takerFeeRate, makerFeeRate: venue.makerFeeRate,
    cascadeRoundsMax: venue.cascadeRoundsMax, assets,
    instruments: venue.instruments.map(({ symbol, initialMarginRate, maintenanceMarginRate, ...rest }) => ({
      symbol,
      rules: dropUndefined({ ...rest, imr: initialMarginRate, mmr: maintenanceMarginRate }),
    })),
  }
}

/** The engine's venue configuration (ticks, lots, cash units) for `scenario`; `source` names it in errors. */
export function venueConfigOf(scenario: Scenario, source = `scenario ${scenario.name}`): VenueConfig {
  let config: VenueConfig
  try {
    config = resolveVenue(scenario.venue.preset, venueOverridesOf(scenario))
  } catch (error) {
    if (error instanceof VenueRuleError) throw new UserError(`${source}: venue.${error.message}`)
    throw error
  }
  return { ...config, markets: marketsOf(scenario, config, source), liquidation: liquidationConfigOf(scenario, config, source) }
}

/** The scenario's liquidation section in engine units: one curve per listed instrument. */
function liquidationConfigOf(scenario: Scenario, config: VenueConfig, source: string): LiquidationConfig {
  const l = scenario.liquidation
  for (const symbol of Object.keys(l.curves)) {
    if (!config.instruments.some((x) => x.symbol === symbol)) {
      throw new UserError(`${source}: liquidation.curves.${symbol}: not a listed instrument (listed: ${config.instruments.map((x) => x.symbol).join(', ')})`)
    }
  }
  const cash = (quote: number): number => Math.round(quote / config.cashUnit)
  const curves = config.instruments.map((instrument): LiquidationCurve => {
    const curve = l.curves[instrument.symbol] ?? { shape: 'table' as const, points: [{}] }
    const path = `liquidation.curves.${instrument.symbol}`
    let previous = 0
    const points = curve.points.map((p, k) => {
      const last = k === curve.points.length - 1
      if (p.notional === undefined && !(curve.shape === 'table' && last)) {
        throw new UserError(`${source}: ${path}.points[${k}].notional: required (a curve's points, and every table row but the last)`)
      }
      if (p.notional !== undefined && !(p.notional > previous)) {
        throw new UserError(`${source}: ${path}.points[${k}].notional: must exceed the previous point's (got ${p.notional})`)
      }
      previous = p.notional ?? previous
      const cap = p.stepNotionalMax ?? l.stepNotionalMax
      return {
        notional: p.notional === undefined ? UNBOUNDED : cash(p.notional),
        penaltyRate: p.penaltyRate ?? instrument.liquidationPenaltyRate,
        bandRate: p.bandRate ?? instrument.liquidationBandRate,
        targetHealth: p.targetHealth ?? l.targetHealth,
        stepShareMax: p.stepShareMax ?? l.stepShareMax,
        stepNotionalMax: cap === undefined ? UNBOUNDED : cash(cap),
      }
    })
    return { shape: curve.shape, points }
  })
  return {
    fullBelowHealth: l.fullBelowHealth, stepIntervalMs: l.stepIntervalMs, crossOrder: l.crossOrder,
    liquidatorPenaltyShare: l.liquidatorPenaltyShare, auctionMs: hasLiquidators(scenario) ? l.auctionMs : 0,
    fundReserve: cash(l.fundReserve), deficitMode: l.deficit, curves,
    fundUnwindIntervalMs: l.fundUnwindIntervalMs, fundUnwindNotionalMax: cash(l.fundUnwindNotionalMax), fundUnwindBandRate: l.fundUnwindBandRate,
    fundPositionNotionalMax: l.fundPositionNotionalMax === undefined ? UNBOUNDED : cash(l.fundPositionNotionalMax),
    fundShortfall: l.fundShortfall,
    liquidationDelayMs: l.liquidationDelayMs,
  }
}

/** True when some liquidator agent bids in auctions (the liquidators section or an `agents:` entry). */
function hasLiquidators(scenario: Scenario): boolean {
  return scenario.liquidators.count > 0 || scenario.agents.some((entry) => entry.type === 'liquidator' && entry.count > 0)
}

function dropUndefined<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T
}

/** Reads and validates a scenario file (.json, .yaml or .yml); agent module paths become absolute (relative to the file). */
export function loadScenarioFile(file: string): Scenario {
  const scenario = parseScenario(readDataFile(file, 'scenario'), file)
  for (const entry of scenario.agents) {
    if (entry.module !== undefined && !isAbsolute(entry.module)) entry.module = resolve(dirname(file), entry.module)
  }
  return scenario
}

/** Reads a .json, .yaml or .yml file into plain data; unreadable or malformed files are UserErrors. */
export function readDataFile(file: string, what: string): unknown {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new UserError(`${file}: cannot read ${what} file (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
  }
  try {
    return file.endsWith('.json') ? JSON.parse(text) : parseYaml(text)
  } catch (error) {
    throw new UserError(`${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`)
  }
}
