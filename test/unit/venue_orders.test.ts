// Order types through the venue on two books at once (round numbers: 1 lot·tick = 1 cash unit,
// no fees): a market order of size Q into known depth fills at the exact VWAP and stops at the
// band; IOC, post-only, limit, cancels, self-trade prevention; each book only sees its own orders.

import { describe, expect, it } from 'vitest'
import { cancelOrder, placeOrder, type VenueEvent } from '../../engine/events.js'
import { VenueView } from '../../engine/venue_view.js'
import { applyAll, craftedAsset, craftedInstrument, craftedVenueConfig } from '../helpers/small_world.js'
import { fundedVenue } from '../helpers/market_venue.js'

const MAKER = 1
const TAKER = 2

function twoBooks() {
  const base = craftedVenueConfig()
  const config = {
    ...base,
    assets: [...base.assets, craftedAsset('TWO')],
    instruments: [craftedInstrument({ marketOrderBandRate: 0.05 }), craftedInstrument({ symbol: 'TWO-PERP', baseAsset: 2 })],
  }
  return fundedVenue(config, [1000, 1e8, 1e8], [[1, 1000], [2, 50]]) // FUND, MAKER, TAKER
}

const fills = (events: VenueEvent[]) => events.flatMap((e) => (e.kind === 'Fill' ? [[e.priceTicks, e.lots]] : []))
const kinds = (events: VenueEvent[]) => events.map((e) => (e.kind === 'OrderCancelled' ? `${e.kind}:${e.reason}` : e.kind === 'OrderRejected' ? `${e.kind}:${e.reason}` : e.kind))

describe('orders on the venue', () => {
  it('a market buy of 45 into 10 @ 1010, 20 @ 1020, 30 @ 1030 fills at VWAP (10·1010 + 20·1020 + 15·1030)/45', () => {
    const venue = twoBooks()
    applyAll(venue, [1010, 1020, 1030].map((p, k) => placeOrder(1, MAKER, 0, 'sell', 'limit', p, 10 * (k + 1))))
    const events = applyAll(venue, [placeOrder(2, TAKER, 0, 'buy', 'market', 0, 45)])
    expect(fills(events)).toEqual([[1010, 10], [1020, 20], [1030, 15]])
    const cashPaid = 1e8 - (venue.accounts.cash[TAKER] as number)
    expect(cashPaid).toBe(10 * 1010 + 20 * 1020 + 15 * 1030)
    expect(cashPaid / 45).toBeCloseTo(45_950 / 45, 10)
    expect(venue.books[0]!.lotsAt(1030)).toBe(15)
  })

  it('a market order stops at the band (5% from mark: 1050) and cancels the rest as unfilled', () => {
    const venue = twoBooks()
    applyAll(venue, [placeOrder(1, MAKER, 0, 'sell', 'limit', 1040, 5), placeOrder(1, MAKER, 0, 'sell', 'limit', 1060, 5)])
    const events = applyAll(venue, [placeOrder(2, TAKER, 0, 'buy', 'market', 0, 8)])
    expect(fills(events)).toEqual([[1040, 5]])
    expect(events.at(-1)).toMatchObject({ kind: 'OrderCancelled', lots: 3, reason: 'unfilled' })
  })

  it('IOC fills to its limit and cancels the rest; limit rests the rest; post-only rests or is rejected', () => {
    const venue = twoBooks()
    applyAll(venue, [placeOrder(1, MAKER, 0, 'sell', 'limit', 1001, 5), placeOrder(1, MAKER, 0, 'sell', 'limit', 1003, 5)])
    let events = applyAll(venue, [placeOrder(2, TAKER, 0, 'buy', 'ioc', 1002, 8)])
    expect(fills(events)).toEqual([[1001, 5]])
    expect(kinds(events).slice(-1)).toEqual(['OrderCancelled:unfilled'])
    events = applyAll(venue, [placeOrder(3, TAKER, 0, 'buy', 'limit', 1003, 8)])
    expect(fills(events)).toEqual([[1003, 5]])
    expect(events.at(-1)).toMatchObject({ kind: 'OrderRested', priceTicks: 1003, lots: 3 })
    events = applyAll(venue, [placeOrder(4, MAKER, 0, 'sell', 'post_only', 1003, 2), placeOrder(4, MAKER, 0, 'sell', 'post_only', 1004, 2)])
    expect(kinds(events)).toEqual(['PlaceOrder', 'OrderRejected:would_take', 'PlaceOrder', 'OrderRested'])
  })

  it('cancels by id; a cancel of someone else\'s or an unknown order is rejected', () => {
    const venue = twoBooks()
    const [placed] = applyAll(venue, [placeOrder(1, MAKER, 0, 'buy', 'limit', 990, 7)])
    const id = placed!.seq
    expect(kinds(applyAll(venue, [cancelOrder(2, TAKER, 0, id)]))).toEqual(['CancelOrder', 'OrderRejected:unknown_order'])
    expect(kinds(applyAll(venue, [cancelOrder(2, MAKER, 1, id)]))).toEqual(['CancelOrder', 'OrderRejected:unknown_order'])
    const events = applyAll(venue, [cancelOrder(3, MAKER, 0, id)])
    expect(events.at(-1)).toMatchObject({ kind: 'OrderCancelled', orderId: id, lots: 7, reason: 'user' })
    expect(venue.books[0]!.orderCount).toBe(0)
  })

  it('self-trade prevention cancels the taker\'s own resting order and trades with the next in line', () => {
    const venue = twoBooks()
    applyAll(venue, [placeOrder(1, TAKER, 0, 'sell', 'limit', 1001, 4), placeOrder(1, MAKER, 0, 'sell', 'limit', 1001, 4)])
    const events = applyAll(venue, [placeOrder(2, TAKER, 0, 'buy', 'ioc', 1001, 4)])
    expect(kinds(events)).toEqual(['PlaceOrder', 'OrderCancelled:self_trade', 'Fill'])
    expect(events[2]).toMatchObject({ maker: MAKER, lots: 4 })
  })

  it('keeps one book per instrument: depth and quotes of each see only its own orders', () => {
    const venue = twoBooks()
    applyAll(venue, [
      placeOrder(1, MAKER, 0, 'buy', 'limit', 995, 10), placeOrder(1, MAKER, 0, 'buy', 'limit', 990, 20),
      placeOrder(1, MAKER, 1, 'buy', 'limit', 49, 300), placeOrder(1, MAKER, 1, 'sell', 'limit', 51, 300),
    ])
    const view = new VenueView(venue, { now: 1 }, null)
    expect([view.bestBid(0), view.bestAsk(0), view.bestBid(1), view.bestAsk(1)]).toEqual([995, -1, 49, 51])
    expect(view.depthTo(0, 'buy', 990)).toBe(30)
    expect(view.priceForSize(0, 'buy', 25)).toBe(990)
    const events = applyAll(venue, [placeOrder(2, TAKER, 1, 'sell', 'market', 0, 100)])
    expect(fills(events)).toEqual([[49, 100]])
    expect(view.depthTo(0, 'buy', 990)).toBe(30)
  })
})
