// Crafted venues with market rules (impact models, mark methods, funding) for hand-computed tests.

import { deposit, openAccount, oraclePrice, type InputEvent } from '../../engine/events.js'
import { checkInvariants } from '../../engine/invariants.js'
import { defaultMarketConfig, type MarketConfig } from '../../engine/market/market_config.js'
import type { LiquidationConfig } from '../../engine/liquidation/liquidation_config.js'
import type { ImpactModelConfig } from '../../engine/market/impact_model.js'
import type { VenueConfig } from '../../engine/venue_config.js'
import { applyAll, craftedVenueConfig, Venue } from './small_world.js'

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

/** craftedVenueConfig (1 lot·tick = 1 cash unit, MM 10%, IM 20%, band 50%, no fees) with one instrument's market rules (and liquidation rules). */
export function craftedMarketVenue(overrides: MarketOverrides = {}, liquidation?: Partial<LiquidationConfig>): VenueConfig {
  return { ...craftedVenueConfig({}, liquidation), markets: [marketConfig(overrides)] }
}

/**
 * A venue on `config` that checks every invariant after every event, with accounts 0, 1, … opened
 * and funded with `deposits` (cash units) and the oracle prices `oracles` ([asset, ticks]) at t = 0.
 */
export function fundedVenue(config: VenueConfig, deposits: readonly number[], oracles: readonly [number, number][] = [[1, 10_000]]): Venue {
  const venue = new Venue(config)
  venue.afterEvent = () => {
    const problem = checkInvariants(venue, true)
    if (problem) throw new Error(problem)
  }
  const inputs: InputEvent[] = deposits.flatMap((amount, account) => [openAccount(0, account), deposit(0, account, amount)])
  for (const [asset, ticks] of oracles) inputs.push(oraclePrice(0, asset, ticks, -1))
  applyAll(venue, inputs)
  return venue
}
