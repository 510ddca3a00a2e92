// Crafted venues with market rules (impact models, mark methods, funding) for hand-computed tests.

import { defaultMarketConfig, type MarketConfig } from '../../engine/market/market_config.js'
import type { ImpactModelConfig } from '../../engine/market/impact_model.js'
import type { VenueConfig } from '../../engine/venue_config.js'
import { craftedVenueConfig } from './small_world.js'

type MarketOverrides = {
  execution?: Partial<MarketConfig['execution']>
  impact?: Partial<ImpactModelConfig>
  mark?: Partial<MarketConfig['mark']>
  funding?: Partial<MarketConfig['funding']>
  impactNotional?: number
}

/** A market config: the default (book, oracle mark, no funding) with overrides. */
export function marketConfig(overrides: MarketOverrides = {}): MarketConfig {
  const base = defaultMarketConfig()
  const model = overrides.execution?.model ?? base.execution.model
  return {
    execution: {
      ...base.execution, ...overrides.execution,
      impact: { ...base.execution.impact, model: model === 'book' ? 'linear' : model, ...overrides.impact },
    },
    mark: { ...base.mark, ...overrides.mark },
    funding: { ...base.funding, ...overrides.funding },
    impactNotional: overrides.impactNotional ?? base.impactNotional,
  }
}

/** craftedVenueConfig (1 lot·tick = 1 cash unit, MM 10%, IM 20%, band 50%, no fees) with one instrument's market rules. */
export function craftedMarketVenue(overrides: MarketOverrides = {}): VenueConfig {
  return { ...craftedVenueConfig(), markets: [marketConfig(overrides)] }
}
