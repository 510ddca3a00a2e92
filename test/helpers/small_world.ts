// Small scenarios and crafted venues shared by tests.

import type { InputEvent } from '../../engine/events.js'
import { defaultLiquidationConfig, type LiquidationConfig } from '../../engine/liquidation/liquidation_config.js'
import { Venue } from '../../engine/venue.js'
import type { AssetConfig, InstrumentConfig, MarginTier, VenueConfig } from '../../engine/venue_config.js'
import { parseScenario, type Scenario } from '../../experiments/scenario.js'

/** A scenario that runs in well under a second: 2 minutes, a shock at 30 s, a small population. */
export function smallScenario(overrides: Record<string, unknown> = {}): Scenario {
  const base = {
    name: 'small',
    durationMs: 120_000,
    checkpointEvery: 500,
    venue: { insuranceFund: 20_000 },
    price: { shocks: [{ atMs: 30_000, drop: 0.1, durationMs: 5_000 }], impactTicksPerLot: 0.2 },
    marketMakers: { count: 2, levels: 10, lotsPerLevel: 50, capital: 500_000 },
    noiseTraders: { count: 3, meanIntervalMs: 2000 },
    population: { pairs: 40, lotsMin: 10, lotsMax: 100, leverageMin: 2, leverageMax: 30 },
  }
  return parseScenario(deepMerge(base, overrides), 'test')
}

function deepMerge(base: Record<string, unknown>, overrides: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(overrides)) {
    const current = out[key]
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value
  }
  return out
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x)
}

type CraftedInstrument = Partial<Omit<InstrumentConfig, 'tiers'>> & { initialMarginRate?: number; maintenanceMarginRate?: number }

/** A test instrument on asset 1 (TEST): flat rates unless `tiers` are given. */
export function craftedInstrument(overrides: CraftedInstrument = {}, tiers?: MarginTier[]): InstrumentConfig {
  const { initialMarginRate = 0.2, maintenanceMarginRate = 0.1, ...rest } = overrides
  return {
    symbol: 'TEST-PERP', baseAsset: 1, tickSize: 1, contractSize: 1, lotSize: 1, cashPerTickLot: 1,
    tiers: tiers ?? [{ maxNotional: Number.MAX_SAFE_INTEGER, maintenanceRate: maintenanceMarginRate, initialRate: initialMarginRate, maintenanceAmount: 0 }],
    marketOrderBandRate: 0.5, liquidationBandRate: 0.5, liquidationPenaltyRate: 0.05, ...rest,
  }
}

/** A collateral asset with round numbers: 1 unit × 1 tick = 1 cash unit. */
export function craftedAsset(symbol: string, overrides: Partial<AssetConfig> = {}): AssetConfig {
  return { symbol, unit: 1, priceTick: 1, cashPerTickUnit: 1, haircut: 0, sizePremium: 0, ...overrides }
}

/**
 * A one-instrument venue with round numbers for hand-computed tests: 1 tick = 1 lot·tick = 1
 * cash unit, maintenance 10%, initial 20%, liquidation band 50%, penalty 5%, no fees. The
 * instrument's base is asset 1 (TEST): its oracle price is the mark. `liquidation` overrides
 * the default liquidation rules (the curve stays the instrument's band and penalty).
 */
export function craftedVenueConfig(overrides: CraftedInstrument = {}, liquidation?: Partial<LiquidationConfig>): VenueConfig {
  const instruments = [craftedInstrument(overrides)]
  return {
    preset: 'test',
    cashAsset: 'USD',
    cashUnit: 1,
    assets: [craftedAsset('USD'), craftedAsset('TEST')],
    instruments,
    takerFeeRate: 0,
    makerFeeRate: 0,
    cascadeRoundsMax: 1000,
    ...(liquidation === undefined ? {} : { liquidation: { ...defaultLiquidationConfig(instruments), ...liquidation } }),
  }
}

/** Applies inputs in order at increasing times; returns every event (inputs and outcomes). */
export function applyAll(venue: Venue, inputs: readonly InputEvent[]): import('../../engine/events.js').VenueEvent[] {
  const events: import('../../engine/events.js').VenueEvent[] = []
  for (const input of inputs) {
    input.t = Math.max(input.t, venue.lastT)
    venue.apply(input)
    events.push(input, ...venue.outbox)
  }
  return events
}

export { Venue }
