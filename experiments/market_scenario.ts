// The scenario's market sections turned into engine configurations: per-instrument market rules
// (execution, mark price, funding) for the VenueConfig, and per-asset external price and oracle
// settings (the section's values with the asset's `byAsset` overrides merged in). Units stay
// as the scenario gives them (ticks, lots, ms) except money, converted to cash units.
// docs/markets.md describes every field.

import type { ImpactModelConfig } from '../engine/market/impact_model.js'
import type { MarketConfig } from '../engine/market/market_config.js'
import type { VenueConfig } from '../engine/venue_config.js'
import { UserError } from './errors.js'
import type { Scenario } from './scenario.js'

type Markets = Scenario['markets']
type InstrumentOverride = Markets['byInstrument'][string]

/** Account id of the impact models' counterparty: after the fund, makers, noise traders and arbitrageurs. */
export function counterpartyAccountOf(scenario: Scenario, config: Pick<VenueConfig, 'instruments'>): number {
  return 1 + scenario.marketMakers.count * makerInstrumentsOf(scenario, config, executionsOf(scenario, config)).length
    + scenario.noiseTraders.count + scenario.arbitrageurs.count
}

/** Execution model of each instrument (book unless the scenario selects a model). */
function executionsOf(scenario: Scenario, config: Pick<VenueConfig, 'instruments'>): MarketConfig['execution']['model'][] {
  return config.instruments.map((x) => scenario.markets.byInstrument[x.symbol]?.execution ?? scenario.markets.execution)
}

/** True if some instrument executes against an impact model (then the world opens a counterparty account). */
export function usesImpactModels(scenario: Scenario, config: Pick<VenueConfig, 'instruments'>): boolean {
  return executionsOf(scenario, config).some((x) => x !== 'book')
}

/** Per-instrument market rules for the venue configuration; `source` names the scenario in errors. */
export function marketsOf(scenario: Scenario, config: Omit<VenueConfig, 'markets'>, source: string): MarketConfig[] {
  const markets = scenario.markets
  const symbols = config.instruments.map((x) => x.symbol)
  for (const symbol of Object.keys(markets.byInstrument)) {
    if (!symbols.includes(symbol)) throw new UserError(`${source}: markets.byInstrument.${symbol}: not a listed instrument (listed: ${symbols.join(', ')})`)
  }
  const counterparty = usesImpactModels(scenario, config) ? counterpartyAccountOf(scenario, config) : -1
  return config.instruments.map((instrument) => {
    const override: InstrumentOverride = markets.byInstrument[instrument.symbol] ?? {}
    const where = instrument.symbol in markets.byInstrument ? `markets.byInstrument.${instrument.symbol}` : 'markets'
    const model = override.execution ?? markets.execution
    const impact: ImpactModelConfig = { ...markets.impact, ...override.impact }
    const funding = { ...markets.funding, ...override.funding }
    const mark = { ...markets.markPrice, ...override.markPrice }
    if (model !== 'book' && impact.model !== model) {
      throw new UserError(`${source}: ${where}.impact.model: "${impact.model}" differs from execution "${model}" (set both, or only execution)`)
    }
    if (funding.sampleMs > funding.intervalMs) {
      throw new UserError(`${source}: ${where}.funding.sampleMs: ${funding.sampleMs} must not exceed funding.intervalMs ${funding.intervalMs}`)
    }
    return {
      execution: { model, impact: model === 'book' ? impact : { ...impact, model }, counterparty: model === 'book' ? -1 : counterparty },
      mark,
      funding,
      impactNotional: Math.round((override.impactNotional ?? markets.impactNotional) / config.cashUnit),
    }
  })
}

/** Instruments the market makers quote: the listed symbols, or the primary if it has a book. */
export function makerInstrumentsOf(
  scenario: Scenario, config: Pick<VenueConfig, 'instruments'>, executions = executionsOf(scenario, config),
): number[] {
  const listed = scenario.marketMakers.instruments
  if (listed === undefined) return executions[0] === 'book' ? [0] : []
  return listed.map((symbol) => {
    const i = config.instruments.findIndex((x) => x.symbol === symbol)
    if (i < 0) throw new UserError(`scenario ${scenario.name}: marketMakers.instruments: "${symbol}" is not a listed instrument`)
    if (executions[i] !== 'book') throw new UserError(`scenario ${scenario.name}: marketMakers.instruments: "${symbol}" executes against an impact model (no book to quote)`)
    return i
  })
}

/** The price section for asset `symbol`: its byAsset overrides merged over the section's values. */
export function assetPriceOf(scenario: Scenario, symbol: string) {
  const { byAsset, startByAsset: _s, ...price } = scenario.price
  const override = byAsset[symbol] ?? {}
  return {
    ...price, ...override,
    jumps: { ...price.jumps, ...override.jumps },
    impact: { ...price.impact, ...override.impact },
    transientImpact: { ...price.transientImpact, ...override.transientImpact },
    path: override.path ?? price.path,
  }
}

/** The oracle section for asset `symbol`, with its byAsset overrides. */
export function assetOracleOf(scenario: Scenario, symbol: string) {
  const { byAsset, ...oracle } = scenario.oracle
  return { ...oracle, ...byAsset[symbol] }
}

/** Rejects byAsset keys that name no asset of the venue. */
export function checkAssetOverrides(scenario: Scenario, config: Pick<VenueConfig, 'assets'>): void {
  const symbols = config.assets.slice(1).map((x) => x.symbol)
  for (const [section, keys] of [['price', Object.keys(scenario.price.byAsset)], ['oracle', Object.keys(scenario.oracle.byAsset)]] as const) {
    for (const symbol of keys) {
      if (!symbols.includes(symbol)) throw new UserError(`scenario ${scenario.name}: ${section}.byAsset.${symbol}: not a non-cash asset of the venue (assets: ${symbols.join(', ')})`)
    }
  }
}

/**
 * Scenario fields that select a permanent square-root impact, which admits profitable round
 * trips (sell in pieces, buy back in a block: Huberman & Stanzl 2004; Gatheral 2010), as
 * "field: value" strings; rejected unless `price.allowPriceManipulation` is set.
 */
function manipulableImpactFields(scenario: Scenario, config: Pick<VenueConfig, 'instruments'>): string[] {
  const fields: string[] = []
  if (scenario.price.impact.model === 'square_root') fields.push('price.impact.model')
  for (const [symbol, override] of Object.entries(scenario.price.byAsset)) {
    if (override.impact?.model === 'square_root') fields.push(`price.byAsset.${symbol}.impact.model`)
  }
  if (scenario.markets.execution === 'square_root') fields.push('markets.execution')
  for (const x of config.instruments) {
    if (scenario.markets.byInstrument[x.symbol]?.execution === 'square_root') fields.push(`markets.byInstrument.${x.symbol}.execution`)
  }
  return fields
}

/** Throws a UserError naming the first manipulable impact field unless the scenario allows it; returns the warnings to report. */
export function checkPriceManipulation(scenario: Scenario, config: Pick<VenueConfig, 'instruments'>): string[] {
  const fields = manipulableImpactFields(scenario, config)
  if (fields.length === 0) return []
  if (!scenario.price.allowPriceManipulation) {
    throw new UserError(`scenario ${scenario.name}: ${fields[0]}: "square_root" is a permanent non-linear impact, which lets a round trip profit (Huberman & Stanzl 2004); use linear impact with price.transientImpact, or set price.allowPriceManipulation: true`)
  }
  return fields.map((field) => `${field}: square_root impact admits profitable round trips (allowed by price.allowPriceManipulation)`)
}
