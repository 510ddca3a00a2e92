// What an agent can see: public market data, and private data only of the accounts it owns.
// The venue is out of reach and the configurations it reads are frozen copies, so an agent
// (even one written in plain JS) can neither read another account's state nor mutate the engine.

import { describe, expect, it } from 'vitest'
import { blockTrade, placeOrder } from '../../engine/events.js'
import { VenueView } from '../../engine/venue_view.js'
import { applyAll, craftedVenueConfig } from '../helpers/small_world.js'
import { fundedVenue } from '../helpers/market_venue.js'

const MINE = 1
const OTHER = 2

function views() {
  const venue = fundedVenue(craftedVenueConfig(), [1000, 10_000, 10_000])
  applyAll(venue, [blockTrade(0, 0, MINE, OTHER, 10_000, 3), placeOrder(0, OTHER, 0, 'buy', 'limit', 9000, 2)])
  const view = new VenueView(venue, { now: 5 }, null).scoped([MINE])
  return { venue, view }
}

describe('an agent\'s view', () => {
  it('reads its own account, prices, book tops and time', () => {
    const { view } = views()
    expect(view.position(MINE, 0)).toBe(3)
    expect(view.equity(MINE)).toBe(10_000)
    expect(view.markTicks(0)).toBe(10_000)
    expect(view.bestBid(0)).toBe(9000) // public: the book shows OTHER's bid, not whose it is
    expect(view.depthTo(0, 'buy', 9000)).toBe(2)
    expect(view.nowMs).toBe(5)
  })

  it('refuses every private read of an account it does not own', () => {
    const { view } = views()
    const reads: ((a: number) => unknown)[] = [
      (a) => view.position(a, 0), (a) => view.equity(a), (a) => view.maintenanceMargin(a), (a) => view.initialMargin(a),
      (a) => view.availableBalance(a), (a) => view.health(a), (a) => view.balance(a, 0), (a) => view.liquidationPriceTicks(a, 0),
      (a) => view.bankruptcyPriceTicks(a, 0), (a) => view.openOrders(a, 0, []), (a) => view.order(a, 0, 1),
    ]
    for (const read of reads) expect(() => read(OTHER)).toThrow(/account 2 is not owned/)
    expect(view.order(MINE, 0, 1)).toBeUndefined() // OTHER's order id, asked through an owned account
    expect(() => view.scoped([OTHER]).position(MINE, 0)).toThrow(/not owned/) // a re-scoped view owns only what it names
  })

  it('exposes no venue and hands out frozen configuration copies', () => {
    const { venue, view } = views()
    expect(Object.keys(view)).toEqual([])
    expect((view as unknown as Record<string, unknown>).venue).toBeUndefined()
    const instrument = view.instrument(0) as { cashPerTickLot: number; tiers: { maintenanceRate: number }[] }
    expect(() => { instrument.cashPerTickLot = 5 }).toThrow(TypeError)
    expect(() => { instrument.tiers[0]!.maintenanceRate = 0 }).toThrow(TypeError)
    expect(() => { (view.asset(0) as { haircut: number }).haircut = 1 }).toThrow(TypeError)
    expect(venue.config.instruments[0]!.cashPerTickLot).toBe(1)
    expect(Object.isFrozen(venue.config.instruments[0])).toBe(false) // the engine's own config is untouched
  })
})
