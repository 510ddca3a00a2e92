// A seeded book of margin accounts for risk-evaluator tests and benchmarks: cross accounts with
// up to 4 positions (binance-usdm notional tiers on BTC/ETH perpetuals, leverage-derived tiers on
// two more) and BTC/ETH collateral (BTC with a size-premium haircut), at leverage from nearly none
// to past maintenance, so a scan finds accounts on both sides of health 1.

import { AccountStore } from '../../engine/margin/account_store.js'
import { MarginModel } from '../../engine/margin/margin.js'
import { resolveVenue } from '../../engine/margin/venue_presets.js'
import { Prng } from '../../engine/prng.js'
import type { VenueConfig } from '../../engine/venue_config.js'

export const RISK_BOOK_CONFIG: VenueConfig = resolveVenue('binance-usdm', {
  instruments: [
    { symbol: 'BTC-PERP' }, { symbol: 'ETH-PERP' },
    { symbol: 'BTC-PERP-2', rules: { base: 'BTC', tiers: [{ maxNotional: 1_000_000, maxLeverage: 50 }, { maxLeverage: 20 }] } },
    { symbol: 'ETH-PERP-2', rules: { base: 'ETH', tiers: [{ maxNotional: 1_000_000, maxLeverage: 25 }, { maxLeverage: 10 }] } },
  ],
  assets: { BTC: { haircut: 0.05, sizePremium: 0.02 }, ETH: { haircut: 0.1 } },
})

export interface RiskBook { store: AccountStore; model: MarginModel; config: VenueConfig }

/**
 * `accounts` accounts from `seed`; each holds `positions` of the 4 instruments (1–4) and cash
 * for a leverage drawn up to `leverageMax` times its gross notional (past 1/mmr: unhealthy).
 */
export function riskBook(accounts: number, seed: number, positions = 4, leverageMax = 60): RiskBook {
  const config = RISK_BOOK_CONFIG
  const I = config.instruments.length
  const A = config.assets.length
  const store = new AccountStore(I, A, Math.max(1, accounts))
  const model = new MarginModel(config)
  model.assetPriceTicks[1] = 600_000 // BTC 60,000 in 0.1 ticks
  model.assetPriceTicks[2] = 300_000 // ETH 3,000 in 0.01 ticks
  config.instruments.forEach((x, i) => { model.markTicks[i] = model.assetPriceTicks[x.baseAsset]! })
  const rng = new Prng(seed, 'risk-book')
  for (let n = 0; n < accounts; n++) {
    const a = store.open()
    if (rng.chance(1, 3)) store.collateralUnits[a * A + 1] = rng.int(10_000_000) // up to 0.1 BTC
    if (rng.chance(1, 3)) store.collateralUnits[a * A + 2] = rng.int(100_000_000) // up to 1 ETH
    let gross = 0
    for (let i = 0; i < positions; i++) {
      const lots = (1 + rng.int(rng.chance(1, 50) ? 2_000_000 : 2_000)) * (rng.chance(1, 2) ? 1 : -1)
      const cpt = config.instruments[i]!.cashPerTickLot
      const entry = Math.round((model.markTicks[i] as number) * (0.97 + 0.06 * rng.unit()))
      store.trade(a, i, lots, entry, cpt)
      gross += Math.abs(lots) * entry * cpt
    }
    const leverage = 1 + rng.int(leverageMax * 100) / 100
    store.cash[a] = (store.cash[a] as number) + Math.round(gross / leverage)
  }
  return { store, model, config }
}

/**
 * A book of `accounts` accounts far from liquidation (leverage ≤ 3) but for one in `nearEvery`,
 * whose cash leaves it just above maintenance (health ≈ 1.002): the accounts an oracle tick can
 * push under.
 */
export function nearThresholdBook(accounts: number, seed: number, nearEvery: number): RiskBook {
  const book = riskBook(accounts, seed, 4, 3)
  const { store, model } = book
  for (let a = 0; a < accounts; a += nearEvery) {
    const maintenance = model.maintenanceMargin(store, a)
    store.cash[a] = (store.cash[a] as number) + Math.ceil(maintenance * 1.002 - model.equity(store, a))
  }
  return book
}
