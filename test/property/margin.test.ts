// Properties of the margin model over random accounts (fast-check, seeded):
//  1. equity moves by exactly Σ lots·Δmark·cashPerTickLot under a price change (integer-exact
//     with cash-only collateral);
//  2. the liquidation price is where health crosses 1: re-evaluated there, health = 1, and
//     health is above 1 on the safe side of it and below on the other;
//  3. cross-mode health of a hedged book (legs + pool) is never lower than the isolated health
//     of its worst leg, however the money is split between legs and pool.

import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { AccountStore } from '../../engine/margin/account_store.js'
import { liquidationPriceTicks } from '../../engine/margin/liquidation_price.js'
import { MarginModel } from '../../engine/margin/margin.js'
import { resolveVenue } from '../../engine/margin/venue_presets.js'
import type { VenueConfig } from '../../engine/venue_config.js'

/** Three instruments on three assets under a preset (tiers for binance-usdm and hyperliquid). */
function venue(preset: string): VenueConfig {
  return resolveVenue(preset, {
    instruments: [{ symbol: 'BTC-PERP' }, { symbol: 'ETH-PERP' }, { symbol: 'SOL-PERP', rules: { base: 'SOL', tickSize: 0.01, lotSize: 0.1, mmr: 0.02 } }],
  })
}

const presets = fc.constantFrom('generic', 'binance-usdm', 'hyperliquid')
const lots = fc.integer({ min: -200_000, max: 200_000 })
const marks = fc.tuple(fc.integer({ min: 1_000, max: 9_000_000 }), fc.integer({ min: 1_000, max: 900_000 }), fc.integer({ min: 100, max: 90_000 }))

/** One account with `positions` (lots per instrument) bought at `entry` marks, `cash` cash units deposited. */
function load(config: VenueConfig, cash: number, positions: number[], entry: number[]) {
  const store = new AccountStore(config.instruments.length, config.assets.length, 4)
  const model = new MarginModel(config)
  const a = store.open()
  store.cash[a] = cash
  positions.forEach((l, i) => { if (l !== 0) store.trade(a, i, l, entry[i]!, config.instruments[i]!.cashPerTickLot) })
  entry.forEach((m, i) => { model.markTicks[i] = m })
  return { store, model, a }
}

describe('margin model (property)', () => {
  it('equity moves by exactly Σ lots·Δprice·cashPerTickLot', () => {
    fc.assert(fc.property(presets, fc.tuple(lots, lots, lots), marks, marks, fc.integer({ min: 0, max: 1e12 }), (preset, positions, entry, next, cash) => {
      const config = venue(preset)
      const { store, model, a } = load(config, cash, positions, entry)
      const before = model.equity(store, a)
      next.forEach((m, i) => { model.markTicks[i] = m })
      const expected = positions.reduce((sum, l, i) => sum + l * (next[i]! - entry[i]!) * config.instruments[i]!.cashPerTickLot, 0)
      expect(model.equity(store, a) - before).toBe(expected)
    }), { numRuns: 300, seed: 3 })
  })

  it('the liquidation price is where health crosses 1', () => {
    fc.assert(fc.property(presets, fc.tuple(lots, lots, lots), marks, fc.double({ min: 0.002, max: 0.5, noNaN: true }), fc.nat(2), (preset, positions, entry, margin, which) => {
      fc.pre(positions[which] !== 0)
      const config = venue(preset)
      // deposit a fraction of the gross notional: leverage between 2x and 500x
      const gross = positions.reduce((s, l, i) => s + Math.abs(l) * entry[i]! * config.instruments[i]!.cashPerTickLot, 0)
      const { store, model, a } = load(config, Math.round(gross * margin), positions, entry)
      const price = liquidationPriceTicks(model, store, a, which)
      const healthAt = (p: number) => {
        model.markTicks[which] = p
        const h = model.health(store, a)
        model.markTicks[which] = entry[which]!
        return h
      }
      if (Number.isNaN(price)) {
        // no positive liquidation price: health stays on one side of 1 for every positive price
        const side = healthAt(entry[which]!) >= 1
        for (const f of [1e-6, 0.01, 0.5, 2, 100]) expect(healthAt(entry[which]! * f) >= 1).toBe(side)
        return
      }
      expect(healthAt(price)).toBeCloseTo(1, 6)
      // long: safe above the liquidation price; short: safe below
      const long = positions[which]! > 0
      const away = long ? price * 1.001 : price * 0.999
      const beyond = long ? price * 0.999 : price * 1.001
      expect(healthAt(away)).toBeGreaterThan(1)
      expect(healthAt(beyond)).toBeLessThan(1)
    }), { numRuns: 300, seed: 5 })
  })

  it('cross health of a hedged book is never lower than the isolated health of its worst leg', () => {
    // Long q on BTC-PERP and short q on a second perpetual on BTC (a hedged pair); money M split
    // into isolated margins m1, m2 and the pool P = M − m1 − m2 ≥ 0. Cross: one pool of M.
    const config = resolveVenue('binance-usdm', {
      instruments: [{ symbol: 'BTC-PERP' }, { symbol: 'BTC-PERP-2', rules: { base: 'BTC', tickSize: 0.1, lotSize: 0.001, mmr: 0.006 } }],
    })
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 100_000, max: 1_000_000 }), fc.integer({ min: 100_000, max: 1_000_000 }),
      fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.001, max: 0.3, noNaN: true }),
      (q, entryTicks, markTicks, share1, share2, leverageInverse) => {
        const cpt = config.instruments[0]!.cashPerTickLot
        const money = Math.round(2 * q * entryTicks * cpt * leverageInverse)
        const m1 = Math.round(money * share1 * 0.5)
        const m2 = Math.round(money * share2 * 0.5)
        const store = new AccountStore(2, config.assets.length, 8)
        const model = new MarginModel(config)
        const cross = store.open()
        store.cash[cross] = money
        store.trade(cross, 0, q, entryTicks, cpt)
        store.trade(cross, 1, -q, entryTicks, cpt)
        const pool = store.open()
        store.cash[pool] = money - m1 - m2
        const long = store.open(pool, 0)
        store.cash[long] = m1
        store.trade(long, 0, q, entryTicks, cpt)
        const short = store.open(pool, 1)
        store.cash[short] = m2
        store.trade(short, 1, -q, entryTicks, cpt)
        model.markTicks[0] = markTicks
        model.markTicks[1] = markTicks
        const worstLeg = Math.min(model.health(store, long), model.health(store, short))
        expect(model.health(store, cross)).toBeGreaterThanOrEqual(worstLeg - 1e-12 * Math.abs(worstLeg))
        // and the money is the same: cross equity = pool + both legs
        expect(model.equity(store, cross)).toBe(model.equity(store, pool) + model.equity(store, long) + model.equity(store, short))
      },
    ), { numRuns: 500, seed: 7 })
  })
})
