import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { BUY, NONE, OrderBook, SELL, type BookSide, type MatchListener } from '../../engine/market/order_book.js'

interface Trade { maker: number; orderId: number; price: number; lots: number }

class Recorder implements MatchListener {
  trades: Trade[] = []
  selfTrades: number[] = []
  onMakerFill(maker: number, orderId: number, price: number, lots: number): void {
    this.trades.push({ maker, orderId, price, lots })
  }
  onSelfTradeCancel(_account: number, orderId: number): void {
    this.selfTrades.push(orderId)
  }
}

describe('OrderBook', () => {
  it('fills in price-time priority: better price first, then earlier order at the same price', () => {
    const book = new OrderBook(2)
    book.add(1, 10, SELL, 101, 5)
    book.add(2, 11, SELL, 101, 5)
    book.add(3, 12, SELL, 100, 5)
    book.add(4, 13, SELL, 101, 5)
    const r = new Recorder()
    const left = book.match(99, BUY, 101, 12, r)
    expect(left).toBe(0)
    expect(r.trades).toEqual([
      { maker: 12, orderId: 3, price: 100, lots: 5 },
      { maker: 10, orderId: 1, price: 101, lots: 5 },
      { maker: 11, orderId: 2, price: 101, lots: 2 },
    ])
    expect(book.order(2)?.lots).toBe(3)
    expect(book.bestAsk()).toBe(101)
    expect(book.checkConsistency()).toBeNull()
  })

  it('a market order of size Q into known depth fills at the exact VWAP', () => {
    const book = new OrderBook()
    book.add(1, 1, SELL, 101, 10)
    book.add(2, 1, SELL, 102, 20)
    book.add(3, 1, SELL, 103, 30)
    const r = new Recorder()
    expect(book.match(2, BUY, Number.MAX_SAFE_INTEGER, 45, r)).toBe(0)
    const lots = r.trades.reduce((s, t) => s + t.lots, 0)
    const value = r.trades.reduce((s, t) => s + t.lots * t.price, 0)
    expect(lots).toBe(45)
    expect(value).toBe(10 * 101 + 20 * 102 + 15 * 103) // 4595
    expect(value / lots).toBeCloseTo(4595 / 45, 12)
    expect(book.lotsAt(103)).toBe(15)
  })

  it('stops at the limit price and leaves the remainder to the caller', () => {
    const book = new OrderBook()
    book.add(1, 1, BUY, 99, 4)
    book.add(2, 1, BUY, 98, 4)
    const r = new Recorder()
    expect(book.match(2, SELL, 99, 10, r)).toBe(6)
    expect(book.bestBid()).toBe(98)
  })

  it('cancels: removes size, empties levels, unknown ids are a no-op', () => {
    const book = new OrderBook()
    book.add(1, 1, BUY, 99, 4)
    book.add(2, 1, BUY, 99, 6)
    expect(book.cancel(1)).toBe(4)
    expect(book.lotsAt(99)).toBe(6)
    expect(book.cancel(2)).toBe(6)
    expect(book.bestBid()).toBe(NONE)
    expect(book.cancel(2)).toBe(0)
    expect(book.checkConsistency()).toBeNull()
  })

  it('self-trade prevention cancels the resting order of the taker\'s own account', () => {
    const book = new OrderBook()
    book.add(1, 7, SELL, 100, 5)
    book.add(2, 8, SELL, 100, 5)
    const r = new Recorder()
    expect(book.match(7, BUY, 100, 5, r)).toBe(0)
    expect(r.selfTrades).toEqual([1])
    expect(r.trades).toEqual([{ maker: 8, orderId: 2, price: 100, lots: 5 }])
  })

  it('answers depth queries over non-empty levels only', () => {
    const book = new OrderBook()
    book.add(1, 1, BUY, 1000, 3)
    book.add(2, 1, BUY, 500, 7)
    book.add(3, 1, BUY, 10, 11)
    expect(book.depthTo(BUY, 500)).toBe(10)
    expect(book.depthTo(BUY, 1)).toBe(21)
    expect(book.priceForSize(BUY, 4)).toBe(500)
    expect(book.priceForSize(BUY, 22)).toBe(NONE)
    expect(book.levelCount(BUY)).toBe(3)
    expect(book.levelPrice(BUY, 1)).toBe(500)
  })

  it('tracks each account\'s orders', () => {
    const book = new OrderBook()
    book.add(1, 5, BUY, 10, 1)
    book.add(2, 6, BUY, 11, 1)
    book.add(3, 5, SELL, 20, 1)
    const out: number[] = []
    expect(book.ordersOf(5, out)).toBe(2)
    expect(out.sort()).toEqual([1, 3])
    book.cancel(3)
    book.ordersOf(5, out)
    expect(out).toEqual([1])
  })

  it('refuses to rest a crossing order', () => {
    const book = new OrderBook()
    book.add(1, 1, SELL, 100, 1)
    expect(() => book.add(2, 2, BUY, 100, 1)).toThrow(/cross/)
  })

  it('agrees with a naive reference book on random operation streams (and stays consistent)', () => {
    type Op = { kind: 'limit' | 'market' | 'cancel'; side: BookSide; price: number; lots: number; account: number; pick: number }
    const op = fc.record({
      kind: fc.constantFrom('limit', 'limit', 'market', 'cancel') as fc.Arbitrary<Op['kind']>,
      side: fc.constantFrom(BUY, SELL) as fc.Arbitrary<BookSide>,
      price: fc.integer({ min: 90, max: 110 }),
      lots: fc.integer({ min: 1, max: 20 }),
      account: fc.integer({ min: 0, max: 4 }),
      pick: fc.nat(),
    })
    fc.assert(fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
      const book = new OrderBook(4)
      const ref: { id: number; account: number; side: BookSide; price: number; lots: number }[] = []
      let nextId = 1
      for (const o of ops) {
        if (o.kind === 'cancel') {
          if (ref.length === 0) continue
          const victim = ref[o.pick % ref.length]!
          expect(book.cancel(victim.id)).toBe(victim.lots)
          ref.splice(ref.indexOf(victim), 1)
          continue
        }
        const limit = o.kind === 'market' ? (o.side === BUY ? 1e9 : 1) : o.price
        // reference matching: best price, then FIFO (array order), skipping self-trades (cancelled)
        const expected: Trade[] = []
        const expectedSelf: number[] = []
        let left = o.lots
        for (;;) {
          const candidates = ref.filter((r) => r.side !== o.side && (o.side === BUY ? r.price <= limit : r.price >= limit))
          if (left === 0 || candidates.length === 0) break
          const best = o.side === BUY ? Math.min(...candidates.map((c) => c.price)) : Math.max(...candidates.map((c) => c.price))
          const maker = candidates.find((c) => c.price === best)!
          if (maker.account === o.account) {
            expectedSelf.push(maker.id)
            ref.splice(ref.indexOf(maker), 1)
            continue
          }
          const traded = Math.min(left, maker.lots)
          expected.push({ maker: maker.account, orderId: maker.id, price: maker.price, lots: traded })
          maker.lots -= traded
          left -= traded
          if (maker.lots === 0) ref.splice(ref.indexOf(maker), 1)
        }
        const r = new Recorder()
        const remaining = book.match(o.account, o.side, limit, o.lots, r)
        expect(r.trades).toEqual(expected)
        expect(r.selfTrades).toEqual(expectedSelf)
        expect(remaining).toBe(left)
        if (o.kind === 'limit' && remaining > 0) {
          const id = nextId++ + 1000
          book.add(id, o.account, o.side, o.price, remaining)
          ref.push({ id, account: o.account, side: o.side, price: o.price, lots: remaining })
        }
        expect(book.checkConsistency()).toBeNull()
        const bids = ref.filter((x) => x.side === BUY).map((x) => x.price)
        const asks = ref.filter((x) => x.side === SELL).map((x) => x.price)
        expect(book.bestBid()).toBe(bids.length ? Math.max(...bids) : NONE)
        expect(book.bestAsk()).toBe(asks.length ? Math.min(...asks) : NONE)
        expect(book.orderCount).toBe(ref.length)
      }
    }), { numRuns: 200 })
  })

  it('conserves size on random streams: lots added = resting + traded + cancelled (and self-trade cancels)', () => {
    const op = fc.record({
      kind: fc.constantFrom('limit', 'limit', 'ioc', 'market', 'cancel'),
      side: fc.constantFrom(BUY, SELL) as fc.Arbitrary<BookSide>,
      price: fc.integer({ min: 95, max: 105 }),
      lots: fc.integer({ min: 1, max: 30 }),
      account: fc.integer({ min: 0, max: 3 }),
      pick: fc.nat(),
    })
    fc.assert(fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
      const book = new OrderBook(2)
      let added = 0
      let cancelled = 0
      const r = new Recorder()
      const selfCancelled = { lots: 0 }
      const listener: MatchListener = {
        onMakerFill: (maker, id, price, lots) => r.onMakerFill(maker, id, price, lots),
        onSelfTradeCancel: (_a, _id, lots) => { selfCancelled.lots += lots },
      }
      const live: number[] = []
      let nextId = 1
      for (const o of ops) {
        if (o.kind === 'cancel') {
          if (live.length === 0) continue
          const id = live.splice(o.pick % live.length, 1)[0]!
          cancelled += book.cancel(id) // 0 if it already traded away
          continue
        }
        const limit = o.kind === 'market' ? (o.side === BUY ? 1e9 : 1) : o.price
        const left = book.match(o.account, o.side, limit, o.lots, listener)
        if (o.kind === 'limit' && left > 0) {
          book.add(nextId, o.account, o.side, o.price, left)
          live.push(nextId++)
          added += left
        }
        expect(book.checkConsistency()).toBeNull() // never crossed, levels consistent
      }
      let resting = 0
      book.forEachOrder((_id, _a, _s, _p, lots) => { resting += lots })
      const traded = r.trades.reduce((sum, t) => sum + t.lots, 0)
      expect(added).toBe(resting + traded + cancelled + selfCancelled.lots)
    }), { numRuns: 200, seed: 99 })
  })

  it('averagePriceForSize: the VWAP of taking up to `lots` best-first (the impact bid/ask)', () => {
    const book = new OrderBook()
    book.add(1, 1, BUY, 100, 4)
    book.add(2, 1, BUY, 98, 6)
    expect(book.averagePriceForSize(BUY, 4)).toBe(100)
    expect(book.averagePriceForSize(BUY, 7)).toBeCloseTo((4 * 100 + 3 * 98) / 7, 12)
    expect(book.averagePriceForSize(BUY, 50)).toBeCloseTo((4 * 100 + 6 * 98) / 10, 12) // all there is
    expect(book.averagePriceForSize(SELL, 5)).toBeNaN()
  })

  it('grows its price ladder to far prices without losing orders', () => {
    const book = new OrderBook()
    book.add(1, 1, BUY, 50_000, 1)
    book.add(2, 1, BUY, 10, 2)
    book.add(3, 1, SELL, 5_000_000, 3)
    expect(book.lotsAt(50_000)).toBe(1)
    expect(book.lotsAt(10)).toBe(2)
    expect(book.bestAsk()).toBe(5_000_000)
    expect(book.checkConsistency()).toBeNull()
  })
})
