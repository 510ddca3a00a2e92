// Open liquidator auctions: a remainder the book did not take within its band, offered to
// liquidator agents for `auctionMs`. The position stays with the liquidated account meanwhile
// (it is "in auction": no further steps, exempt from the no-negative-equity check); liquidators
// answer with LiquidatorBid inputs that arrive after their own latency, so the fastest bidder
// with the capital wins. When the auction ends (a LiquidationWake at endsMs), what is left goes
// to the backstop. An auction's id is the seq of its LiquidationAuction event.
//
// Few auctions are open at once, so they are a short list in id order (ids only grow); lookups
// are linear scans over it, and iteration order is deterministic.

import type { Hash } from 'node:crypto'
import type { BookSide } from '../market/order_book.js'

export interface OpenAuction {
  id: number
  account: number
  instrument: number
  /** The liquidated account's closing side (a taker trades the other side). */
  side: BookSide
  lotsLeft: number
  endsMs: number
  /** The step that opened it was a full step (what the backstop cannot take is deleveraged). */
  full: boolean
  /** Penalty rate of the step that opened it (from the curve at the position's notional then). */
  penaltyRate: number
}

/** The open auctions of one venue. */
export class LiquidatorAuctions {
  readonly open: OpenAuction[] = []

  /** Records a new auction (its id must exceed every open one's). */
  add(auction: OpenAuction): void {
    this.open.push(auction)
  }

  /** The open auction with id `id`, or undefined. */
  find(id: number): OpenAuction | undefined {
    for (const auction of this.open) if (auction.id === id) return auction
    return undefined
  }

  /** Number of open auctions of account `a`. */
  countOf(a: number): number {
    let count = 0
    for (const auction of this.open) if (auction.account === a) count++
    return count
  }

  /** The open auctions of account `a` that ended at or before `t` (ms), oldest first. */
  endedFor(a: number, t: number): OpenAuction[] {
    return this.open.filter((auction) => auction.account === a && auction.endsMs <= t)
  }

  /** Closes auction `auction`. */
  remove(auction: OpenAuction): void {
    const k = this.open.indexOf(auction)
    if (k >= 0) this.open.splice(k, 1)
  }

  /** Adds every open auction to a digest, in id order. */
  digest(hash: Hash): void {
    const row = new Float64Array(8)
    hash.update(Float64Array.of(this.open.length))
    for (const a of this.open) {
      row.set([a.id, a.account, a.instrument, a.side, a.lotsLeft, a.endsMs, a.full ? 1 : 0, a.penaltyRate])
      hash.update(row)
    }
  }
}
