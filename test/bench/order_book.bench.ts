// The order book on a random stream of limit (some crossing), cancel and market orders, side by
// side with the npm package nodejs-order-book on the same stream. Both must trade exactly the
// same volume (a correctness check that the two do the same work), which the bench asserts.

import { bench, describe, expect } from 'vitest'
import * as peer from 'nodejs-order-book'
import { BUY, OrderBook, SELL, type MatchListener } from '../../engine/market/order_book.js'
import { Prng } from '../../engine/prng.js'

interface Op { kind: 0 | 1 | 2; side: 0 | 1; price: number; lots: number; target: number }
const OPS = 200_000

/** 55% limit (about 1 in 5 crossing), 30% cancel of a random live order, 15% market. */
function opStream(n: number): Op[] {
  const rng = new Prng(42, 'order-book-bench')
  const ops: Op[] = []
  let placed = 0
  for (let k = 0; k < n; k++) {
    const r = rng.int(100)
    const side = rng.int(2) as 0 | 1
    if (r < 55 || placed === 0) {
      const offset = rng.int(60) - 10 // -10..49 ticks away from mid on the passive side
      const price = side === BUY ? 10_000 - offset : 10_000 + offset
      ops.push({ kind: 0, side, price, lots: 1 + rng.int(20), target: placed++ })
    } else if (r < 85) {
      ops.push({ kind: 1, side, price: 0, lots: 0, target: rng.int(placed) })
    } else {
      ops.push({ kind: 2, side, price: 0, lots: 1 + rng.int(40), target: -1 })
    }
  }
  return ops
}
const ops = opStream(OPS)

class Volume implements MatchListener {
  traded = 0
  onMakerFill(_maker: number, _id: number, _price: number, lots: number): void {
    this.traded += lots
  }
  onSelfTradeCancel(): void {}
}

function runOurs(): number {
  const book = new OrderBook(1 << 16)
  const volume = new Volume()
  for (const op of ops) {
    if (op.kind === 0) {
      const left = book.match(1, op.side, op.price, op.lots, volume)
      if (left > 0) book.add(op.target, 2 + (op.target & 7), op.side, op.price, left)
    } else if (op.kind === 1) {
      book.cancel(op.target)
    } else {
      book.match(1, op.side, op.side === BUY ? Number.MAX_SAFE_INTEGER : 1, op.lots, volume)
    }
  }
  return volume.traded
}

const PeerBook = (peer as unknown as { OrderBook: new () => PeerOrderBook }).OrderBook
interface PeerOrderBook {
  createOrder(order: Record<string, unknown>): { quantityLeft: number }
  cancel(id: string): unknown
}

function runPeer(): number {
  const book = new PeerBook()
  let traded = 0
  const ids = ops.map((op) => String(op.target))
  for (let k = 0; k < ops.length; k++) {
    const op = ops[k] as Op
    if (op.kind === 0) {
      const r = book.createOrder({ type: 'limit', side: op.side === BUY ? 'buy' : 'sell', size: op.lots, price: op.price, id: ids[k] })
      traded += takerVolume(r, op.lots)
    } else if (op.kind === 1) {
      book.cancel(String(op.target))
    } else {
      const r = book.createOrder({ type: 'market', side: op.side === SELL ? 'sell' : 'buy', size: op.lots })
      traded += takerVolume(r, op.lots)
    }
  }
  return traded
}

/** Lots the incoming order traded: its size less what was left (rested or unfilled). */
function takerVolume(result: { quantityLeft: number }, lots: number): number {
  return lots - result.quantityLeft
}

const expected = runOurs()
// Same stream, same matching rules: both books must trade exactly the same volume.
const peerVolume = runPeer()
if (peerVolume !== expected) throw new Error(`order book bench: traded ${expected} lots but the peer traded ${peerVolume}`)
console.log(`order book bench: both books traded ${expected} lots`)

describe(`order book, random add/cancel/market stream [ops=${OPS}]`, () => {
  bench('cascadelab OrderBook', () => {
    expect(runOurs()).toBe(expected)
  }, { time: 2000 })

  bench('baseline: nodejs-order-book@10.1.1', () => {
    expect(runPeer()).toBe(expected)
  }, { time: 2000 })
})
