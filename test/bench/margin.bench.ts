// Account evaluations/s: cross accounts with 4 positions and 3 collateral assets (USDT, BTC, ETH),
// under binance-usdm notional tiers (BTC-PERP, ETH-PERP) and leverage-derived tiers on two more
// perpetuals on the same bases, BTC with a size-premium haircut. One evaluation = equity
// (cash + haircut collateral + positions at mark) and maintenance margin, what a liquidation scan
// computes per account; the second bench adds the initial margin. Baseline, same run: an inline
// loop over the same columns with flat rates and flat haircuts (no tiers, no size premium, no
// method calls) — the floor the margin model's generality costs against.

import { bench, describe, expect } from 'vitest'
import { AccountStore } from '../../engine/margin/account_store.js'
import { MarginModel } from '../../engine/margin/margin.js'
import { resolveVenue } from '../../engine/margin/venue_presets.js'
import { Prng } from '../../engine/prng.js'

const ACCOUNTS = 100_000
const config = resolveVenue('binance-usdm', {
  instruments: [
    { symbol: 'BTC-PERP' }, { symbol: 'ETH-PERP' },
    { symbol: 'BTC-PERP-2', rules: { base: 'BTC', tiers: [{ maxNotional: 1_000_000, maxLeverage: 50 }, { maxLeverage: 20 }] } },
    { symbol: 'ETH-PERP-2', rules: { base: 'ETH', tiers: [{ maxNotional: 1_000_000, maxLeverage: 25 }, { maxLeverage: 10 }] } },
  ],
  assets: { BTC: { haircut: 0.05, sizePremium: 0.02 }, ETH: { haircut: 0.1 } },
})
const I = config.instruments.length
const A = config.assets.length
const store = new AccountStore(I, A, ACCOUNTS)
const model = new MarginModel(config)
model.assetPriceTicks[1] = 600_000 // BTC 60,000 in 0.1 ticks
model.assetPriceTicks[2] = 300_000 // ETH 3,000 in 0.01 ticks
config.instruments.forEach((x, i) => { model.markTicks[i] = model.assetPriceTicks[x.baseAsset]! })
const rng = new Prng(1, 'margin-bench')
for (let n = 0; n < ACCOUNTS; n++) {
  const a = store.open()
  store.cash[a] = (100 + rng.int(10_000)) / config.cashUnit
  store.collateralUnits[a * A + 1] = rng.int(10_000_000) // up to 0.1 BTC
  store.collateralUnits[a * A + 2] = rng.int(100_000_000) // up to 1 ETH
  for (let i = 0; i < I; i++) {
    const lots = (1 + rng.int(2_000)) * (rng.chance(1, 2) ? 1 : -1)
    store.trade(a, i, lots, (model.markTicks[i] as number) * (0.9 + 0.2 * rng.unit()), config.instruments[i]!.cashPerTickLot)
  }
}

// Flat stand-ins for the baseline: each instrument's first-tier rates, each asset's flat weight.
const flatMaintenance = Float64Array.from(config.instruments, (x) => x.tiers[0]!.maintenanceRate)
const flatWeight = Float64Array.from(config.assets, (x) => 1 - x.haircut)

function baselineScan(): number {
  let liquidatable = 0
  for (let a = 0; a < ACCOUNTS; a++) {
    let equity = store.cash[a] as number
    for (let k = 1; k < A; k++) {
      equity += (store.collateralUnits[a * A + k] as number) * (model.assetPriceTicks[k] as number) * (model.cashPerTickUnit[k] as number) * (flatWeight[k] as number)
    }
    let maintenance = 0
    for (let i = 0; i < I; i++) {
      const value = (store.positionLots[a * I + i] as number) * (model.markTicks[i] as number) * (model.cashPerTickLot[i] as number)
      equity += value
      maintenance += (value < 0 ? -value : value) * (flatMaintenance[i] as number)
    }
    if (equity < maintenance) liquidatable++
  }
  return liquidatable
}

function modelScan(): number {
  let liquidatable = 0
  for (let a = 0; a < ACCOUNTS; a++) if (model.isLiquidatable(store, a)) liquidatable++
  return liquidatable
}

function fullEvaluation(): number {
  let sum = 0
  for (let a = 0; a < ACCOUNTS; a++) sum += model.equity(store, a) - model.maintenanceMargin(store, a) - model.initialMargin(store, a)
  return sum
}

const expectedLiquidatable = modelScan()
const expectedSum = fullEvaluation()
// The accounts must straddle the threshold, or the scan measures a degenerate case.
if (!(expectedLiquidatable > ACCOUNTS / 100 && expectedLiquidatable < ACCOUNTS * 0.99)) {
  throw new Error(`margin bench: ${expectedLiquidatable} of ${ACCOUNTS} liquidatable — not a mixed population`)
}

describe(`margin evaluation, cross accounts with 4 positions and 3 collateral assets [ops=${ACCOUNTS}]`, () => {
  bench('margin model: equity + maintenance (tiers, haircut curve)', () => {
    expect(modelScan()).toBe(expectedLiquidatable)
  }, { time: 1500 })

  bench('margin model: equity + maintenance + initial', () => {
    expect(fullEvaluation()).toBe(expectedSum)
  }, { time: 1500 })

  bench('baseline: inline flat-rate loop over the same columns', () => {
    expect(baselineScan()).toBeGreaterThan(0)
  }, { time: 1500 })
})
