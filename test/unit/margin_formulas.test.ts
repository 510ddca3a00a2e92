// Margin math against hand-computed examples from venues' published formulas. Every expected
// number is computed in the test from the venue's own formula (written out here), never from
// engine code; the engine is reached through the margin calculator, which runs the same
// MarginModel and liquidation-price functions as the simulation.
//
// Sources:
//  [B-LP]  Binance FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts":
//          LP = (WB − TMM1 + UPNL1 + cumB − Side1·Position1·EP1) / (Position1·MMR1 − Side1·Position1),
//          isolated: TMM1 = UPNL1 = 0 and WB = the isolated wallet; "if the position at the liquidation
//          price is in another level, substitute that level's MMR and maintenance amount".
//  [B-MM]  Binance: maintenance margin = notional · MMR − maintenance amount; amount[n] =
//          floor[n] · (MMR[n] − MMR[n−1]) + amount[n−1].
//  [B-BTC] Binance announcement "Updates to Leverage and Margin Tiers of Binance Futures Contracts
//          (2021-03-18)": BTCUSDT brackets 50k/250k/1M/10M/20M/50M/100M/200M/300M/500M at MMR
//          0.40/0.50/1.00/2.50/5.00/10.00/12.50/15.00/25.00/50.00 %, leverage 125/100/50/20/10/5/4/3/2/1x.
//  [HL-LQ] Hyperliquid docs "Liquidations": maintenance margin = half the initial margin at max
//          leverage; liq_price = price − side · margin_available / position_size / (1 − l · side),
//          l = 1 / maintenance leverage, margin_available = account value − maintenance margin
//          (cross) or isolated margin − maintenance margin (isolated).
//  [HL-MT] Hyperliquid docs "Margin tiers": BTC 0–150M 40x, >150M 20x; ETH 0–100M 25x, >100M 15x;
//          maintenance_deduction[n] = deduction[n−1] + lower_bound[n] · (rate[n] − rate[n−1]).
//  [Drift] drift-labs protocol-v2 calculate_size_discount_asset_weight:
//          weight = min(asset_weight, 1.1 / (1 + imf_factor · √size)).

import { describe, expect, it } from 'vitest'
import { compileTiers } from '../../engine/margin/requirements.js'
import { resolveVenue, VENUE_PRESETS } from '../../engine/margin/venue_presets.js'
import { evaluateMarginFile } from '../../experiments/commands/margin.js'

const close = (actual: number | null, expected: number, digits = 6) => {
  expect(actual).not.toBeNull()
  expect(actual!).toBeCloseTo(expected, digits)
}

describe('requirement tiers', () => {
  it('derive Binance BTCUSDT maintenance amounts from the published rates [B-MM, B-BTC]', () => {
    const tiers = resolveVenue('binance-usdm', { instruments: [{ symbol: 'BTC-PERP' }] }).instruments[0]!.tiers
    const cashUnit = VENUE_PRESETS['binance-usdm']!.cashUnit
    // amount[n] = cap[n−1]·(mmr[n] − mmr[n−1]) + amount[n−1], by hand:
    // 50k·0.001 = 50; 250k·0.005 + 50 = 1,300; 1M·0.015 + 1,300 = 16,300; 10M·0.025 + 16,300 = 266,300;
    // 20M·0.05 + 266,300 = 1,266,300; 50M·0.025 + … = 2,516,300; 100M·0.025 + … = 5,016,300;
    // 200M·0.10 + … = 25,016,300; 300M·0.25 + … = 100,016,300 (the `cum` column Binance's API returns).
    const amounts = tiers.map((t) => Math.round(t.maintenanceAmount * cashUnit))
    expect(amounts).toEqual([0, 50, 1_300, 16_300, 266_300, 1_266_300, 2_516_300, 5_016_300, 25_016_300, 100_016_300])
    // IM = 1 / the bracket's max leverage (125x … 1x): the announcement's 0.8% … 33.3% … 100%
    expect(tiers.map((t) => t.initialRate)).toEqual([125, 100, 50, 20, 10, 5, 4, 3, 2, 1].map((leverage) => 1 / leverage))
  })

  it('derive Hyperliquid deductions from max leverage [HL-MT]', () => {
    const venue = resolveVenue('hyperliquid', { instruments: [{ symbol: 'BTC-PERP' }, { symbol: 'ETH-PERP' }] })
    const [btc, eth] = venue.instruments.map((x) => x.tiers)
    // BTC: 40x → mmr 1/80 = 1.25%; >150M 20x → 2.5%; deduction 150M·(2.5% − 1.25%) = 1,875,000 USDC.
    expect(btc!.map((t) => t.maintenanceRate)).toEqual([1 / 80, 1 / 40])
    expect(btc![1]!.maintenanceAmount * venue.cashUnit).toBeCloseTo(1_875_000, 6)
    // ETH: 25x → 2%; >100M 15x → 1/30; deduction 100M·(1/30 − 1/50) = 1,333,333.33…
    expect(eth![1]!.maintenanceAmount * venue.cashUnit).toBeCloseTo(100_000_000 * (1 / 30 - 1 / 50), 4)
  })

  it('keep the maintenance margin continuous across a bracket edge', () => {
    const [t1, t2] = compileTiers([{ maxNotional: 50_000, maintenanceRate: 0.004, initialRate: 0.008 }, { maintenanceRate: 0.005, initialRate: 0.01 }], 1)
    expect(50_000 * t1!.maintenanceRate - t1!.maintenanceAmount).toBeCloseTo(50_000 * t2!.maintenanceRate - t2!.maintenanceAmount, 9)
  })
})

describe('Binance USDⓈ-M liquidation price [B-LP]', () => {
  it('cross, two contracts: TMM1 and UPNL1 of the other contract enter the formula', () => {
    // WB 20,000 USDT; long 2 BTC @ 58,000 (mark 60,000), short 20 ETH @ 3,100 (mark 3,000).
    // BTC notional 120,000 → bracket 2: MMR 0.5%, cum 50 → MM 550; UPNL 4,000.
    // ETH notional 60,000 → (10k, 100k]: MMR 0.65%, cum 15 → MM 375; UPNL 2,000.
    const [account] = evaluateMarginFile({
      venue: 'binance-usdm', prices: { BTC: 60_000, ETH: 3_000, USDT: 1 },
      accounts: [{ id: 'x', collateral: { USDT: 20_000 }, positions: [
        { instrument: 'BTC-PERP', qty: 2, entryPrice: 58_000 }, { instrument: 'ETH-PERP', qty: -20, entryPrice: 3_100 },
      ] }],
    }, 'test').accounts
    expect(account).toMatchObject({ equity: 26_000, maintenanceMargin: 925, initialMargin: 1_200 + 780 })
    close(account!.marginRatio, 925 / 26_000, 9)
    const [btc, eth] = account!.positions
    expect(btc).toMatchObject({ notional: 120_000, unrealizedPnl: 4_000, maintenanceMargin: 550 })
    expect(eth).toMatchObject({ notional: 60_000, unrealizedPnl: 2_000, maintenanceMargin: 375 })
    // BTC: (20,000 − 375 + 2,000 + 50 − 1·2·58,000) / (2·0.005 − 1·2) = −94,325 / −1.99; notional there 94.8k: bracket 2 ✓
    close(btc!.liquidationPrice, (20_000 - 375 + 2_000 + 50 - 2 * 58_000) / (2 * 0.005 - 2))
    // ETH: (20,000 − 550 + 4,000 + 15 + 1·20·3,100) / (20·0.0065 + 20); notional 84.9k: (10k, 100k] ✓
    close(eth!.liquidationPrice, (20_000 - 550 + 4_000 + 15 + 20 * 3_100) / (20 * 0.0065 + 20))
  })

  it('isolated: only the isolated wallet counts, and the bracket at the liquidation price is substituted', () => {
    // Isolated long 4 BTC @ 60,000 with 20,000 USDT isolated margin, mark 65,000: notional 260k is
    // in bracket 3 (MMR 1%, cum 1,300), but bracket 3's answer (20,000 + 1,300 − 240,000)/(0.04 − 4)
    // = 55,227 has notional 220.9k, outside it; bracket 2 (MMR 0.5%, cum 50) gives
    // (20,000 + 50 − 240,000)/(0.02 − 4) = 55,263.8 with notional 221k inside bracket 2.
    const [account] = evaluateMarginFile({
      venue: 'binance-usdm', prices: { BTC: 65_000 },
      accounts: [{ id: 'i', mode: 'isolated', collateral: { USDT: 100_000 }, positions: [
        { instrument: 'BTC-PERP', qty: 4, entryPrice: 60_000, isolatedMargin: 20_000 },
      ] }],
    }, 'test').accounts
    const [position] = account!.positions
    expect(position!.maintenanceMargin).toBeCloseTo(260_000 * 0.01 - 1_300, 6)
    close(position!.liquidationPrice, (20_000 + 50 - 4 * 60_000) / (4 * 0.005 - 4))
    expect(position!.liquidationPrice! * 4).toBeGreaterThan(50_000)
    expect(position!.liquidationPrice! * 4).toBeLessThanOrEqual(250_000)
    // Bankruptcy: isolated equity 20,000 + 20,000 → 65,000 − 40,000/4
    close(position!.bankruptcyPrice, 55_000)
    // The 100,000 USDT left in the cross wallet does not protect the isolated position; the
    // account's health is its worst pool's.
    close(account!.health, 40_000 / (260_000 * 0.01 - 1_300), 6)
    expect(account!.equity).toBe(140_000)
  })

  it('a short isolated position: Side = −1 [B-LP]', () => {
    // Short 1 BTC @ 61,000, isolated margin 3,000, mark 60,000 (notional 60k: bracket 2):
    // (3,000 + 50 + 61,000) / (0.005 + 1) = 63,731.34; notional 63.7k ∈ (50k, 250k] ✓
    const [account] = evaluateMarginFile({
      venue: 'binance-usdm', prices: { BTC: 60_000 },
      accounts: [{ id: 's', mode: 'isolated', positions: [{ instrument: 'BTC-PERP', qty: -1, entryPrice: 61_000, isolatedMargin: 3_000 }] }],
    }, 'test').accounts
    close(account!.positions[0]!.liquidationPrice, (3_000 + 50 + 61_000) / (0.005 + 1))
    close(account!.positions[0]!.bankruptcyPrice, 64_000)
  })

  it('the issue example: tiers given as an override, BTC collateral with a haircut', () => {
    const [account] = evaluateMarginFile({
      venue: 'binance-usdm', prices: { BTC: 60_000, ETH: 3_000, USDT: 1 },
      instruments: { 'BTC-PERP': { base: 'BTC', quote: 'USDT', tiers: [{ maxNotional: 50_000, mmr: 0.004, maintenanceAmount: 0 }, { mmr: 0.005 }] } },
      collateral: { USDT: { haircut: 0 }, BTC: { haircut: 0.05 } },
      accounts: [{ id: 'a1', mode: 'cross', collateral: { USDT: 10_000 }, positions: [{ instrument: 'BTC-PERP', qty: 0.5, entryPrice: 58_000 }] }],
    }, 'test').accounts
    // notional 30,000 ≤ 50k: MM 120, IM 240 (imr = 2·mmr); equity 10,000 + 0.5·2,000
    expect(account).toMatchObject({ id: 'a1', equity: 11_000, initialMargin: 240, maintenanceMargin: 120 })
    close(account!.positions[0]!.liquidationPrice, (10_000 + 0 - 0.5 * 58_000) / (0.5 * 0.004 - 0.5))
  })
})

describe('Hyperliquid liquidation price from max leverage [HL-LQ, HL-MT]', () => {
  const hyperliquid = (price: number, side: number, marginAvailable: number, size: number, maxLeverage: number) => {
    const l = 1 / (2 * maxLeverage) // 1 / maintenance leverage
    return price - (side * marginAvailable) / size / (1 - l * side)
  }

  it('cross long BTC (40x → maintenance 1.25%)', () => {
    // 10,000 USDC, long 1 BTC @ 60,000 at mark 60,000: MM = 60,000/80 = 750, margin available 9,250
    const [account] = evaluateMarginFile({
      venue: 'hyperliquid', prices: { BTC: 60_000 },
      accounts: [{ id: 'h', collateral: { USDC: 10_000 }, positions: [{ instrument: 'BTC-PERP', qty: 1, entryPrice: 60_000 }] }],
    }, 'test').accounts
    expect(account).toMatchObject({ maintenanceMargin: 750, initialMargin: 1_500 })
    close(account!.positions[0]!.liquidationPrice, hyperliquid(60_000, 1, 10_000 - 750, 1, 40))
  })

  it('isolated short ETH (25x → maintenance 2%)', () => {
    // short 10 ETH @ 3,000, isolated margin 1,500, mark 2,950: isolated equity 2,000, MM 590
    const [account] = evaluateMarginFile({
      venue: 'hyperliquid', prices: { ETH: 2_950 },
      accounts: [{ id: 'h', mode: 'isolated', positions: [{ instrument: 'ETH-PERP', qty: -10, entryPrice: 3_000, isolatedMargin: 1_500 }] }],
    }, 'test').accounts
    expect(account!.positions[0]!.maintenanceMargin).toBeCloseTo(590, 9)
    close(account!.positions[0]!.liquidationPrice, hyperliquid(2_950, -1, 2_000 - 590, 10, 25))
  })

  it('maxLeverage overrides the preset field by field', () => {
    const [account] = evaluateMarginFile({
      venue: 'hyperliquid', prices: { BTC: 60_000 }, instruments: { 'BTC-PERP': { maxLeverage: 10 } },
      accounts: [{ id: 'h', collateral: { USDC: 10_000 }, positions: [{ instrument: 'BTC-PERP', qty: 1, entryPrice: 60_000 }] }],
    }, 'test').accounts
    expect(account).toMatchObject({ maintenanceMargin: 3_000, initialMargin: 6_000 })
    close(account!.positions[0]!.liquidationPrice, hyperliquid(60_000, 1, 10_000 - 3_000, 1, 10))
  })
})

describe('multi-asset collateral with haircuts', () => {
  it('values each asset at oracle × (1 − haircut); the liquidation price holds collateral fixed', () => {
    // 5,000 USDT + 0.2 BTC (haircut 5%) + 2 ETH (haircut 10%): 5,000 + 11,400 + 5,400 = 21,800.
    // Long 1 BTC-PERP @ 60,000 at 60,000: equity 21,800; at the liquidation price the notional
    // (38.4k) is in bracket 1 (MMR 0.4%, cum 0): (21,800 − 60,000) / (0.004 − 1).
    const [account] = evaluateMarginFile({
      venue: 'binance-usdm', prices: { BTC: 60_000, ETH: 3_000 }, collateral: { ETH: { haircut: 0.1 } },
      accounts: [{ id: 'm', collateral: { USDT: 5_000, BTC: 0.2, ETH: 2 }, positions: [{ instrument: 'BTC-PERP', qty: 1, entryPrice: 60_000 }] }],
    }, 'test').accounts
    expect(account!.equity).toBeCloseTo(21_800, 6)
    close(account!.positions[0]!.liquidationPrice, (21_800 - 60_000) / (0.004 - 1))
    close(account!.positions[0]!.bankruptcyPrice, 60_000 - 21_800)
  })

  it('a size premium makes the haircut grow with size [Drift]', () => {
    // sizePremium 0.5: weight(q) = min(0.95, 1.1/(1 + 0.5·√q)); 4 BTC → 1.1/2 = 0.55
    const value = (btc: number) => evaluateMarginFile({
      venue: 'binance-usdm', prices: { BTC: 60_000 }, collateral: { BTC: { haircut: 0.05, sizePremium: 0.5 } },
      accounts: [{ id: 'c', collateral: { BTC: btc } }], instruments: { 'BTC-PERP': {} },
    }, 'test').accounts[0]!.equity
    expect(value(4)).toBeCloseTo(4 * 60_000 * 0.55, 6)
    expect(value(0.01)).toBeCloseTo(0.01 * 60_000 * 0.95, 6) // small: the flat haircut binds
    expect(value(16)).toBeCloseTo(16 * 60_000 * (1.1 / 3), 6)
    expect(value(16)).toBeGreaterThan(value(4)) // still more collateral is worth more
  })
})

describe('cross vs isolated on a hedged pair', () => {
  // The same trader: long 1 BTC on BTC-PERP and short 1 BTC on a second perpetual on BTC, 6,000
  // USDT in all. Cross: one pool nets the legs. Isolated: 3,000 per leg.
  const evaluate = (mode: 'cross' | 'isolated', price: number) => evaluateMarginFile({
    venue: 'generic', prices: { BTC: price },
    instruments: { 'BTC-PERP-2': { base: 'BTC', tickSize: 1, lotSize: 0.001, imr: 0.02, mmr: 0.01 } },
    accounts: [mode === 'cross'
      ? { id: 'x', collateral: { USD: 6_000 }, positions: [
        { instrument: 'BTC-PERP', qty: 1, entryPrice: 60_000 }, { instrument: 'BTC-PERP-2', qty: -1, entryPrice: 60_000 }] }
      : { id: 'x', mode: 'isolated', positions: [
        { instrument: 'BTC-PERP', qty: 1, entryPrice: 60_000, isolatedMargin: 3_000 },
        { instrument: 'BTC-PERP-2', qty: -1, entryPrice: 60_000, isolatedMargin: 3_000 }] }],
  }, 'test').accounts[0]!

  it('cross nets: a 10% drop leaves equity unchanged and the account healthy', () => {
    const account = evaluate('cross', 54_000)
    // equity 6,000 + (−6,000) + 6,000; MM = 2 · 54,000 · 1% = 1,080
    expect(account.equity).toBe(6_000)
    expect(account.maintenanceMargin).toBe(1_080)
    close(account.health, 6_000 / 1_080, 9)
    // Holding the other leg fixed, the long's liquidation price: (540 − 6,000 + 54,000)/(1 − 0.01)
    close(account.positions[0]!.liquidationPrice, (540 - 6_000 + 54_000) / 0.99)
  })

  it('isolated liquidates one leg: the long compartment is below maintenance, the short is not', () => {
    const account = evaluate('isolated', 54_000)
    expect(account.equity).toBe(6_000) // same money in total
    // long compartment: 3,000 − 6,000 = −3,000 < MM 540 → health −5.56 (liquidatable)
    close(account.health, -3_000 / 540, 9)
    // its liquidation price (3,000 − 60,000)/(0.01 − 1) = 57,575.76 is above the mark: already crossed
    close(account.positions[0]!.liquidationPrice, (3_000 - 60_000) / (0.01 - 1))
    // the short leg's: (3,000 + 60,000)/(0.01 + 1) = 62,376 — far away, it survives
    close(account.positions[1]!.liquidationPrice, (3_000 + 60_000) / (1.01))
  })
})
