// Funding arithmetic against Binance's published formulas ("Introduction to Binance Futures
// Funding Rates": premium index from impact bid/ask; F = P̄ + clamp(I − P̄, −0.05%, 0.05%) per
// 8 h, scaled to the interval as in the 2025-09 update), hand-computed; then the exact zero-sum
// split of payments into integer cash units, and a settlement on a crafted venue.

import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { blockTrade, marketTick, placeOrder, type VenueEvent } from '../../engine/events.js'
import { allocateFunding, fundingRate, premiumIndex, PremiumAverage } from '../../engine/market/funding.js'
import { defaultMarketConfig } from '../../engine/market/market_config.js'
import { applyAll } from '../helpers/small_world.js'
import { craftedMarketVenue, fundedVenue } from '../helpers/market_venue.js'

const binance8h = { ...defaultMarketConfig().funding, enabled: true, intervalMs: 28_800_000, interestRate8h: 0.0001, clampRate8h: 0.0005, capRate: 0.0075 }

describe('premium index and funding rate', () => {
  it('premium = [max(0, impact bid − index) − max(0, index − impact ask)] / index', () => {
    expect(premiumIndex(10_000, 10_010, 10_020)).toBeCloseTo(0.001, 15) // book rich: bids above index
    expect(premiumIndex(10_000, 9_980, 9_990)).toBeCloseTo(-0.001, 15) // book cheap
    expect(premiumIndex(10_000, 9_995, 10_005)).toBe(0) // index inside the impact spread
    expect(premiumIndex(10_000, Number.NaN, 10_005)).toBe(0) // an empty side gives no signal
  })

  it('F = P̄ + clamp(I − P̄, ±0.05%) per 8 h', () => {
    expect(fundingRate(binance8h, 0.0003)).toBeCloseTo(0.0001, 15) // I − P̄ = −0.0002 inside the clamp: F = I
    expect(fundingRate(binance8h, 0.0001)).toBeCloseTo(0.0001, 15)
    expect(fundingRate(binance8h, 0.002)).toBeCloseTo(0.0015, 15) // clamp −0.0005
    expect(fundingRate(binance8h, -0.001)).toBeCloseTo(-0.0005, 15) // clamp +0.0005
    expect(fundingRate({ ...binance8h, capRate: 0.001 }, 0.002)).toBe(0.001) // capped
    expect(fundingRate({ ...binance8h, intervalMs: 3_600_000 }, 0.002)).toBeCloseTo(0.0015 / 8, 15) // hourly: / (8/1)
  })

  it('averages samples plainly or with linear weights (Binance weighs sample k by k)', () => {
    const mean = new PremiumAverage('mean')
    const weighted = new PremiumAverage('linear_weights')
    for (const p of [0.001, 0.002, 0.003]) {
      mean.add(p)
      weighted.add(p)
    }
    expect(mean.average()).toBeCloseTo(0.002, 15)
    expect(weighted.average()).toBeCloseTo((0.001 + 2 * 0.002 + 3 * 0.003) / 6, 15)
  })
})

describe('funding allocation', () => {
  it('payers pay their amount floored; receivers split it by lots, leftovers to the largest remainders', () => {
    expect(allocateFunding([10, -4, -6], 1000, 0.001)).toEqual([-10, 4, 6])
    // long owes 7·333·0.001 = 2.331 → pays 2; shares 2·3/7 = 0.857 and 2·4/7 = 1.143 → 0 + 1, the leftover unit to 0.857
    expect(allocateFunding([7, -3, -4], 333, 0.001)).toEqual([-2, 1, 1])
    // negative rate: shorts pay longs
    expect(allocateFunding([5, -5], 100, -0.01)).toEqual([5, -5])
    expect(allocateFunding([5, -5], 100, 0)).toEqual([0, 0])
  })

  it('is exactly zero-sum, floors every payer, and gives each receiver its share to within one unit', () => {
    const positions = fc.array(fc.integer({ min: -500, max: 500 }).filter((x) => x !== 0), { minLength: 1, maxLength: 30 })
    fc.assert(fc.property(positions, fc.integer({ min: 1, max: 100_000 }), fc.double({ min: -0.01, max: 0.01, noNaN: true }), (drawn, cashPerLot, rate) => {
      const net = drawn.reduce((s, x) => s + x, 0)
      const lots = net === 0 ? drawn : [...drawn, -net] // open interest balances
      const amounts = allocateFunding(lots, cashPerLot, rate)
      expect(amounts.reduce((s, x) => s + x, 0)).toBe(0)
      let collected = 0
      let receiverLots = 0
      lots.forEach((q, k) => {
        const owed = q * cashPerLot * rate
        if (owed > 0) {
          expect(amounts[k]).toBe(Math.floor(owed) === 0 ? 0 : -Math.floor(owed)) // never -0
          collected += Math.floor(owed)
        } else if (owed < 0) {
          receiverLots += Math.abs(q)
        }
        expect(Number.isInteger(amounts[k])).toBe(true)
      })
      lots.forEach((q, k) => {
        if (q * rate < 0 && collected > 0) expect(Math.abs(amounts[k]! - (collected * Math.abs(q)) / receiverLots)).toBeLessThan(1)
      })
    }), { numRuns: 300, seed: 77 })
  })
})

describe('funding on the venue', () => {
  const MAKER = 1
  const LONG = 2
  const SHORT = 3

  it('samples the premium at ticks, settles each interval at mark: longs pay shorts when the book is rich', () => {
    // Book 10 lots bid at 10,010 and asked at 10,030 around an index of 10,000; impact notional
    // 100,000 = 10 lots at 10,000 → premium 10/10,000 = 0.1% each hour; F = 0.1% − 0.05% = 0.05%;
    // the long of 100 lots at mark 10,000 pays 1,000,000 · 0.0005 = 500 to the short.
    const venue = fundedVenue(craftedMarketVenue({
      funding: { enabled: true, intervalMs: 28_800_000, sampleMs: 3_600_000 }, impactNotional: 100_000,
    }), [1000, 1e7, 1e6, 1e6]) // FUND, MAKER, LONG, SHORT
    applyAll(venue, [
      blockTrade(0, 0, LONG, SHORT, 10_000, 100),
      placeOrder(0, MAKER, 0, 'buy', 'limit', 10_010, 10),
      placeOrder(0, MAKER, 0, 'sell', 'limit', 10_030, 10),
    ])
    const events: VenueEvent[] = []
    for (let hour = 1; hour <= 8; hour++) events.push(...applyAll(venue, [marketTick(hour * 3_600_000)]))
    const rate = events.find((e) => e.kind === 'FundingRate')
    expect(rate).toMatchObject({ instrument: 0, samples: 8, markTicks: 10_000, t: 28_800_000 })
    expect((rate as { rate: number }).rate).toBeCloseTo(0.0005, 15)
    expect((rate as { premium: number }).premium).toBeCloseTo(0.001, 15)
    const payments = events.filter((e) => e.kind === 'FundingPayment')
    expect(payments).toEqual([
      expect.objectContaining({ account: LONG, lots: 100, amount: -500, cause: rate!.seq }),
      expect.objectContaining({ account: SHORT, lots: -100, amount: 500, cause: rate!.seq }),
    ])
    expect(venue.accounts.cash[LONG]).toBe(1e6 - 1e6 - 500) // deposit − entry cost − funding
    expect(venue.markets.fundingPaidTotal).toBe(500)
    expect(venue.markets.predictedFundingRate(0)).toBe(fundingRate(venue.markets.configs[0]!.funding, 0)) // samples reset
  })
})
