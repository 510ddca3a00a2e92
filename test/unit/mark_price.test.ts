// Mark price rules on crafted books, hand-computed: oracle, book mid, impact mid (Binance's
// impact bid/ask: average fill price of the impact notional), and Binance's median of
// P1 = index·(1 + F̂·τ/interval), P2 = index + moving basis, and the book mid ("Mark Price in
// USDⓈ-M futures"). Book-based marks move only on MarketTick inputs and oracle updates.

import { describe, expect, it } from 'vitest'
import { marketTick, oracleStatus, placeOrder, type InputEvent } from '../../engine/events.js'
import { emaWeight, fundingBasisPrice, median3 } from '../../engine/market/mark_price.js'
import type { MarkMethod } from '../../engine/market/market_config.js'
import { applyAll } from '../helpers/small_world.js'
import { craftedMarketVenue, fundedVenue } from '../helpers/market_venue.js'

const MAKER = 1
const TAKER = 2

function venueMarkedBy(method: MarkMethod, extra: Parameters<typeof craftedMarketVenue>[0] = {}) {
  const config = craftedMarketVenue({ mark: { method, intervalMs: 1000, basisHalfLifeMs: 1000 }, impactNotional: 100_000, ...extra })
  return fundedVenue(config, [1000, 1e8, 1e8]) // FUND, MAKER, TAKER
}

const quote = (t: number, side: 'buy' | 'sell', price: number, lots: number): InputEvent => placeOrder(t, MAKER, 0, side, 'limit', price, lots)

describe('mark price arithmetic', () => {
  it('median, funding-basis price and EMA weight', () => {
    expect([median3(1, 2, 3), median3(3, 1, 2), median3(2, 3, 1), median3(5, 5, 1)]).toEqual([2, 2, 2, 5])
    // index 10,000, predicted rate 0.03% with half the interval left: 10,000 · (1 + 0.0003 · 0.5) = 10,001.5
    expect(fundingBasisPrice(10_000, 0.0003, 4 * 3_600_000, 8 * 3_600_000)).toBeCloseTo(10_001.5, 10)
    expect(emaWeight(1000, 1000)).toBeCloseTo(0.5, 14)
    expect(emaWeight(2000, 1000)).toBeCloseTo(0.75, 14)
  })
})

describe('mark price rules on the venue', () => {
  it('oracle: the mark is the oracle price whatever the book does', () => {
    const venue = venueMarkedBy('oracle')
    applyAll(venue, [quote(1, 'buy', 10_500, 5), quote(1, 'sell', 10_600, 5), marketTick(1000)])
    expect(venue.margin.markTicks[0]).toBe(10_000)
  })

  it('book_mid: (best bid + best ask) / 2, re-read on the tick, with the last fill as cause', () => {
    const venue = venueMarkedBy('book_mid')
    expect(venue.margin.markTicks[0]).toBe(10_000) // one-sided/empty book: the oracle
    applyAll(venue, [quote(1, 'buy', 9_990, 5), quote(1, 'sell', 10_030, 5), quote(1, 'sell', 10_050, 5)])
    expect(venue.margin.markTicks[0]).toBe(10_000) // not before the tick
    const tick = applyAll(venue, [marketTick(1000)])
    expect(tick.find((e) => e.kind === 'MarkPrice')).toMatchObject({ priceTicks: 10_010, cause: tick[0]!.seq })
    // a taker lifts the 10,030 ask: mid becomes (9990 + 10,050) / 2 = 10,020 at the next tick, caused by that fill
    const trade = applyAll(venue, [placeOrder(1500, TAKER, 0, 'buy', 'ioc', 10_030, 5)])
    const fill = trade.find((e) => e.kind === 'Fill')!
    const next = applyAll(venue, [marketTick(2000)])
    expect(next.find((e) => e.kind === 'MarkPrice')).toMatchObject({ priceTicks: 10_020, cause: fill.seq })
  })

  it('impact_mid: the mean of the average fill prices of the impact notional on each side', () => {
    const venue = venueMarkedBy('impact_mid')
    // impact notional 100,000 = 10 lots at 10,000. Bids 5 @ 9990, 10 @ 9980 → impact bid (5·9990 + 5·9980)/10 = 9985;
    // asks 10 @ 10,020 → 10,020; mark round((9985 + 10,020) / 2) = round(10,002.5) = 10,003
    applyAll(venue, [quote(1, 'buy', 9_990, 5), quote(1, 'buy', 9_980, 10), quote(1, 'sell', 10_020, 10), marketTick(1000)])
    expect(venue.margin.markTicks[0]).toBe(10_003)
  })

  it('median: median(P1, P2 = index + EMA basis, book mid), here without funding (P1 = index)', () => {
    const venue = venueMarkedBy('median')
    applyAll(venue, [quote(1, 'buy', 10_090, 5), quote(1, 'sell', 10_110, 5), marketTick(1000)])
    // basis sample 100 → P2 = 10,100; book 10,100; P1 = 10,000 → 10,100
    expect(venue.margin.markTicks[0]).toBe(10_100)
    // book jumps to 10,300; one half-life later the EMA basis is 100 + 0.5·(300 − 100) = 200:
    // median(10,000, 10,200, 10,300) = 10,200 — the moving basis damps the jump
    applyAll(venue, [quote(1500, 'sell', 10_310, 5), quote(1500, 'buy', 10_290, 5), marketTick(2000)])
    expect(venue.margin.markTicks[0]).toBe(10_200)
  })

  it('median with funding: P1 = index·(1 + F̂·time to funding / interval) can be the median', () => {
    const eightHours = 28_800_000
    const venue = venueMarkedBy('median', {
      mark: { method: 'median', intervalMs: 1000, basisHalfLifeMs: 100_000 },
      funding: { enabled: true, intervalMs: eightHours, sampleMs: 1000, interestRate8h: 0, clampRate8h: 0, capRate: 1 },
    })
    // t=1000: 10 lots bid 10,090 / asked 10,110 → premium 0.9%, basis 100, book 10,100 → mark 10,100
    applyAll(venue, [quote(1, 'buy', 10_090, 10), quote(1, 'sell', 10_110, 10), marketTick(1000)])
    expect(venue.margin.markTicks[0]).toBe(10_100)
    // t=2000: the book jumps to 10,400 / 10,600 (the new bid cancels the maker's own 10,110 ask: STP).
    // premium 4% → F̂ = (0.9% + 4%)/2; the slow EMA basis barely moves (P2 ≈ 10,102.8); book 10,500;
    // so the median is P1 = 10,000·(1 + F̂·(8 h − 2 s)/8 h) = 10,244.98 → 10,245
    applyAll(venue, [quote(1500, 'buy', 10_400, 10), quote(1500, 'sell', 10_600, 10), marketTick(2000)])
    const predicted = (0.009 + 0.04) / 2
    expect(venue.markets.predictedFundingRate(0)).toBeCloseTo(predicted, 15)
    expect(venue.margin.markTicks[0]).toBe(Math.round(fundingBasisPrice(10_000, predicted, eightHours - 2000, eightHours)))
    expect(venue.margin.markTicks[0]).toBe(10_245)
  })

  it('median with basisHalfLifeMs 0: median(oracle, book mid, funding-basis price)', () => {
    const venue = venueMarkedBy('median', { mark: { method: 'median', intervalMs: 1000, basisHalfLifeMs: 0 } })
    applyAll(venue, [quote(1, 'buy', 10_090, 5), quote(1, 'sell', 10_110, 5), marketTick(1000)])
    expect(venue.margin.markTicks[0]).toBe(10_000) // median(10,000, 10,000, 10,100): no funding, so P1 = oracle too
    expect(venue.markets.basisReady[0]).toBe(0)
  })

  it('records oracle outages and stale periods as venue state', () => {
    const venue = venueMarkedBy('oracle')
    applyAll(venue, [oracleStatus(5, 1, 'outage')])
    expect(venue.markets.oracleStatus(1)).toBe('outage')
    applyAll(venue, [oracleStatus(6, 1, 'live')])
    expect(venue.markets.oracleStatus(1)).toBe('live')
  })
})
