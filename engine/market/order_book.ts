// A price-time-priority limit order book for one instrument, in integer ticks and lots.
//
//   active levels per side, as level slots sorted by price, best last:
//     bids: [slot(99) slot(100) slot(101)]     asks: [slot(104) slot(103) slot(102)]
//   level pool (struct of arrays): price, head, tail, lots
//      head ▼ FIFO of orders (intrusive doubly linked list in the order pool)
//   order pool (struct of arrays, slots recycled through free lists):
//     id, account, side, price, level, lots, next/prev in level, next/prev in account's list
//
// Memory is O(orders + levels), whatever the tick size or price range. Best-price access and
// removal of an emptied best level are O(1); finding a level by price is a binary search over
// the active levels of one side; walking the book touches only non-empty levels. Matching calls a listener per fill, in order, after the
// book is consistent again, so the caller can settle accounts and emit events without
// allocating. Self-trade prevention cancels the resting order (expire-maker).

import { fail } from '../assert.js'

export const BUY = 0
export const SELL = 1
export type BookSide = typeof BUY | typeof SELL

export const NONE = -1
export const PRICE_TICKS_MAX = 2_000_000_000

/** Receives matching results in order. */
export interface MatchListener {
  /** A resting order traded `lots` at `priceTicks`; `makerLotsLeft` remain on it. */
  onMakerFill(makerAccount: number, makerOrderId: number, priceTicks: number, lots: number, makerLotsLeft: number): void
  /** A resting order of the taker's own account was cancelled instead of trading. */
  onSelfTradeCancel(account: number, orderId: number, lots: number): void
}

/** One instrument's order book. */
export class OrderBook {
  // levels
  private levelPriceOf = new Int32Array(0)
  private levelHead = new Int32Array(0)
  private levelTail = new Int32Array(0)
  private levelLots = new Float64Array(0)
  private freeLevels = new Int32Array(0)
  private freeLevelCount = 0
  // active levels, as level slots sorted by price, best last
  private bidLevels = new Int32Array(64)
  private bidCount = 0
  private askLevels = new Int32Array(64)
  private askCount = 0
  // order pool
  private orderId = new Float64Array(0)
  private orderAccount = new Int32Array(0)
  private orderSide = new Uint8Array(0)
  private orderLevel = new Int32Array(0)
  private orderLots = new Float64Array(0)
  private orderNext = new Int32Array(0)
  private orderPrev = new Int32Array(0)
  private orderAccountNext = new Int32Array(0)
  private orderAccountPrev = new Int32Array(0)
  private freeSlots = new Int32Array(0)
  private freeCount = 0
  private readonly slotById = new Map<number, number>()
  private accountHead = new Int32Array(0)

  constructor(orderCapacity = 1024) {
    this.growPool(orderCapacity)
    this.growLevels(64)
  }

  /** Number of resting orders. */
  get orderCount(): number {
    return this.slotById.size
  }

  /** Best bid in ticks, or NONE. */
  bestBid(): number {
    return this.bidCount === 0 ? NONE : (this.levelPriceOf[this.bidLevels[this.bidCount - 1] as number] as number)
  }

  /** Best ask in ticks, or NONE. */
  bestAsk(): number {
    return this.askCount === 0 ? NONE : (this.levelPriceOf[this.askLevels[this.askCount - 1] as number] as number)
  }

  /** Lots resting at `priceTicks` (either side). */
  lotsAt(priceTicks: number): number {
    let level = this.findLevel(BUY, priceTicks)
    if (level === NONE) level = this.findLevel(SELL, priceTicks)
    return level === NONE ? 0 : (this.levelLots[level] as number)
  }

  /** Number of non-empty levels on a side. */
  levelCount(side: BookSide): number {
    return side === BUY ? this.bidCount : this.askCount
  }

  /** Price of the k-th best level of a side (k = 0 is best); NONE past the last level. */
  levelPrice(side: BookSide, k: number): number {
    const count = side === BUY ? this.bidCount : this.askCount
    if (k >= count) return NONE
    return this.levelPriceOf[(side === BUY ? this.bidLevels : this.askLevels)[count - 1 - k] as number] as number
  }

  /** Cumulative lots resting on `side` at prices at least as good as `limitTicks`. O(levels touched). */
  depthTo(side: BookSide, limitTicks: number): number {
    let lots = 0
    const levels = side === BUY ? this.bidLevels : this.askLevels
    for (let k = (side === BUY ? this.bidCount : this.askCount) - 1; k >= 0; k--) {
      const level = levels[k] as number
      const price = this.levelPriceOf[level] as number
      if (side === BUY ? price < limitTicks : price > limitTicks) break
      lots += this.levelLots[level] as number
    }
    return lots
  }

  /** Worst price reached when taking `lots` from `side` (NONE if the side is too thin). O(levels touched). */
  priceForSize(side: BookSide, lots: number): number {
    let remaining = lots
    const levels = side === BUY ? this.bidLevels : this.askLevels
    for (let k = (side === BUY ? this.bidCount : this.askCount) - 1; k >= 0; k--) {
      const level = levels[k] as number
      remaining -= this.levelLots[level] as number
      if (remaining <= 0) return this.levelPriceOf[level] as number
    }
    return NONE
  }

  /**
   * Average price (ticks, fractional) of taking up to `lots` from the resting `side` best-first —
   * the impact bid (side BUY) or ask (SELL) of a venue's premium index; NaN if the side is empty.
   * O(levels touched).
   */
  averagePriceForSize(side: BookSide, lots: number): number {
    let remaining = lots
    let value = 0
    const levels = side === BUY ? this.bidLevels : this.askLevels
    for (let k = (side === BUY ? this.bidCount : this.askCount) - 1; k >= 0 && remaining > 0; k--) {
      const level = levels[k] as number
      const available = this.levelLots[level] as number
      const taken = available < remaining ? available : remaining
      value += taken * (this.levelPriceOf[level] as number)
      remaining -= taken
    }
    const taken = lots - remaining
    return taken > 0 ? value / taken : Number.NaN
  }

  /** True if a `side` order at `priceTicks` would trade against the other side. */
  wouldCross(side: BookSide, priceTicks: number): boolean {
    if (side === BUY) return this.askCount > 0 && priceTicks >= this.bestAsk()
    return this.bidCount > 0 && priceTicks <= this.bestBid()
  }

  /** Account owning resting order `orderId`, or NONE. */
  accountOf(orderId: number): number {
    const slot = this.slotById.get(orderId)
    return slot === undefined ? NONE : (this.orderAccount[slot] as number)
  }

  /** Rests an order that does not cross. */
  add(orderId: number, account: number, side: BookSide, priceTicks: number, lots: number): void {
    if (!(Number.isInteger(priceTicks) && priceTicks > 0 && priceTicks <= PRICE_TICKS_MAX)) fail(`book: bad price ${priceTicks}`)
    if (!(!this.wouldCross(side, priceTicks))) fail(`book: resting order ${orderId} would cross`)
    if (!(lots > 0 && Number.isInteger(lots))) fail(`book: bad lots ${lots}`)
    if (!(!this.slotById.has(orderId))) fail(`book: duplicate order id ${orderId}`)
    this.ensureAccount(account)
    if (this.freeCount === 0) this.growPool(this.orderId.length * 2)
    const slot = this.freeSlots[--this.freeCount] as number
    let level = this.findLevel(side, priceTicks)
    if (level === NONE) level = this.insertLevel(side, priceTicks)
    this.orderId[slot] = orderId
    this.orderAccount[slot] = account
    this.orderSide[slot] = side
    this.orderLevel[slot] = level
    this.orderLots[slot] = lots
    this.slotById.set(orderId, slot)
    // append to the level's FIFO
    const tail = this.levelTail[level] as number
    this.orderPrev[slot] = tail
    this.orderNext[slot] = NONE
    if (tail === NONE) this.levelHead[level] = slot
    else this.orderNext[tail] = slot
    this.levelTail[level] = slot
    this.levelLots[level] = (this.levelLots[level] as number) + lots
    // push on the account's list
    const head = this.accountHead[account] as number
    this.orderAccountNext[slot] = head
    this.orderAccountPrev[slot] = NONE
    if (head !== NONE) this.orderAccountPrev[head] = slot
    this.accountHead[account] = slot
  }

  /** Cancels a resting order; returns the lots removed, or 0 if the id is not resting. */
  cancel(orderId: number): number {
    const slot = this.slotById.get(orderId)
    if (slot === undefined) return 0
    const lots = this.orderLots[slot] as number
    this.removeSlot(slot)
    return lots
  }

  /**
   * Takes liquidity: a `side` order for `lots` that trades with resting orders priced no worse
   * than `limitTicks`. Returns the lots left unfilled (the caller decides whether they rest).
   */
  match(takerAccount: number, side: BookSide, limitTicks: number, lots: number, listener: MatchListener): number {
    let remaining = lots
    const makerSide = side === BUY ? SELL : BUY
    while (remaining > 0) {
      const count = makerSide === BUY ? this.bidCount : this.askCount
      if (count === 0) break
      const level = (makerSide === BUY ? this.bidLevels : this.askLevels)[count - 1] as number
      const price = this.levelPriceOf[level] as number
      if (side === BUY ? price > limitTicks : price < limitTicks) break
      let slot = this.levelHead[level] as number
      while (slot !== NONE && remaining > 0) {
        const next = this.orderNext[slot] as number
        const makerAccount = this.orderAccount[slot] as number
        const makerOrderId = this.orderId[slot] as number
        const makerLots = this.orderLots[slot] as number
        if (makerAccount === takerAccount) {
          this.removeSlot(slot)
          listener.onSelfTradeCancel(makerAccount, makerOrderId, makerLots)
        } else {
          const traded = remaining < makerLots ? remaining : makerLots
          remaining -= traded
          const left = makerLots - traded
          if (left === 0) {
            this.removeSlot(slot)
          } else {
            this.orderLots[slot] = left
            this.levelLots[level] = (this.levelLots[level] as number) - traded
          }
          listener.onMakerFill(makerAccount, makerOrderId, price, traded, left)
        }
        slot = next
      }
    }
    return remaining
  }

  /** Ids of `account`'s resting orders, newest first, written into `out`; returns the count. */
  ordersOf(account: number, out: number[]): number {
    out.length = 0
    if (account >= this.accountHead.length) return 0
    for (let slot = this.accountHead[account] as number; slot !== NONE; slot = this.orderAccountNext[slot] as number) {
      out.push(this.orderId[slot] as number)
    }
    return out.length
  }

  /** Side, price and lots of a resting order (undefined if not resting). */
  order(orderId: number): { side: BookSide; priceTicks: number; lots: number; account: number } | undefined {
    const slot = this.slotById.get(orderId)
    if (slot === undefined) return undefined
    return {
      side: this.orderSide[slot] as BookSide,
      priceTicks: this.levelPriceOf[this.orderLevel[slot] as number] as number,
      lots: this.orderLots[slot] as number,
      account: this.orderAccount[slot] as number,
    }
  }

  /** Visits every resting order in priority order: bids best→worst, then asks best→worst. */
  forEachOrder(visit: (orderId: number, account: number, side: BookSide, priceTicks: number, lots: number) => void): void {
    for (const side of [BUY, SELL] as const) {
      const levels = side === BUY ? this.bidLevels : this.askLevels
      for (let k = (side === BUY ? this.bidCount : this.askCount) - 1; k >= 0; k--) {
        const level = levels[k] as number
        const price = this.levelPriceOf[level] as number
        for (let slot = this.levelHead[level] as number; slot !== NONE; slot = this.orderNext[slot] as number) {
          visit(this.orderId[slot] as number, this.orderAccount[slot] as number, side, price, this.orderLots[slot] as number)
        }
      }
    }
  }

  /** Full O(orders) self-check for tests: levels sorted and non-empty, sizes add up, never crossed. */
  checkConsistency(): string | null {
    const bid = this.bestBid()
    const ask = this.bestAsk()
    if (bid !== NONE && ask !== NONE && bid >= ask) return `crossed book: bid ${bid} >= ask ${ask}`
    let orders = 0
    for (const side of [BUY, SELL] as const) {
      const levels = side === BUY ? this.bidLevels : this.askLevels
      const count = side === BUY ? this.bidCount : this.askCount
      for (let k = 0; k < count; k++) {
        const level = levels[k] as number
        const price = this.levelPriceOf[level] as number
        if (k > 0) {
          const before = this.levelPriceOf[levels[k - 1] as number] as number
          if (side === BUY ? price <= before : price >= before) return `levels out of order at ${price}`
        }
        let lots = 0
        for (let slot = this.levelHead[level] as number; slot !== NONE; slot = this.orderNext[slot] as number) {
          if (this.orderSide[slot] !== side || this.orderLevel[slot] !== level) return `order ${this.orderId[slot]} misfiled`
          lots += this.orderLots[slot] as number
          orders++
        }
        if (lots <= 0) return `empty level ${price} listed as active`
        if (lots !== this.levelLots[level]) return `level ${price} lots ${this.levelLots[level]} != orders ${lots}`
      }
    }
    if (orders !== this.slotById.size) return `${this.slotById.size} orders indexed but ${orders} in levels`
    return null
  }

  private removeSlot(slot: number): void {
    const level = this.orderLevel[slot] as number
    const prev = this.orderPrev[slot] as number
    const next = this.orderNext[slot] as number
    if (prev === NONE) this.levelHead[level] = next
    else this.orderNext[prev] = next
    if (next === NONE) this.levelTail[level] = prev
    else this.orderPrev[next] = prev
    this.levelLots[level] = (this.levelLots[level] as number) - (this.orderLots[slot] as number)
    if (this.levelHead[level] === NONE) this.removeLevel(this.orderSide[slot] as BookSide, level)
    const accountPrev = this.orderAccountPrev[slot] as number
    const accountNext = this.orderAccountNext[slot] as number
    if (accountPrev === NONE) this.accountHead[this.orderAccount[slot] as number] = accountNext
    else this.orderAccountNext[accountPrev] = accountNext
    if (accountNext !== NONE) this.orderAccountPrev[accountNext] = accountPrev
    this.slotById.delete(this.orderId[slot] as number)
    this.orderLots[slot] = 0
    this.freeSlots[this.freeCount++] = slot
  }

  /**
   * Index in the side's sorted array where `price` is or would go: the number of entries that
   * sort before it (bids ascend, asks descend). Binary search.
   */
  private lowerBound(side: BookSide, price: number): number {
    const levels = side === BUY ? this.bidLevels : this.askLevels
    let low = 0
    let high = side === BUY ? this.bidCount : this.askCount
    while (low < high) {
      const mid = (low + high) >>> 1
      const p = this.levelPriceOf[levels[mid] as number] as number
      if (side === BUY ? p < price : p > price) low = mid + 1
      else high = mid
    }
    return low
  }

  /** Level slot at `price` on `side`, or NONE. */
  private findLevel(side: BookSide, price: number): number {
    const k = this.lowerBound(side, price)
    if (k >= (side === BUY ? this.bidCount : this.askCount)) return NONE
    const level = (side === BUY ? this.bidLevels : this.askLevels)[k] as number
    return this.levelPriceOf[level] === price ? level : NONE
  }

  private insertLevel(side: BookSide, price: number): number {
    if (this.freeLevelCount === 0) this.growLevels(this.levelHead.length * 2)
    const level = this.freeLevels[--this.freeLevelCount] as number
    this.levelPriceOf[level] = price
    this.levelHead[level] = NONE
    this.levelTail[level] = NONE
    this.levelLots[level] = 0
    let levels = side === BUY ? this.bidLevels : this.askLevels
    const count = side === BUY ? this.bidCount : this.askCount
    if (count === levels.length) {
      const grown = new Int32Array(levels.length * 2)
      grown.set(levels)
      levels = grown
      if (side === BUY) this.bidLevels = grown
      else this.askLevels = grown
    }
    const k = this.lowerBound(side, price)
    levels.copyWithin(k + 1, k, count)
    levels[k] = level
    if (side === BUY) this.bidCount++
    else this.askCount++
    return level
  }

  private removeLevel(side: BookSide, level: number): void {
    const levels = side === BUY ? this.bidLevels : this.askLevels
    const count = side === BUY ? this.bidCount : this.askCount
    // The emptied level is usually the best (last) one.
    const k = levels[count - 1] === level ? count - 1 : this.lowerBound(side, this.levelPriceOf[level] as number)
    if (!(levels[k] === level)) fail(`book: level ${this.levelPriceOf[level]} not active`)
    levels.copyWithin(k, k + 1, count)
    if (side === BUY) this.bidCount--
    else this.askCount--
    this.levelLots[level] = 0
    this.freeLevels[this.freeLevelCount++] = level
  }

  private ensureAccount(account: number): void {
    if (account < this.accountHead.length) return
    const grown = new Int32Array(Math.max(1024, (account + 1) * 2)).fill(NONE)
    grown.set(this.accountHead)
    this.accountHead = grown
  }

  private growLevels(capacity: number): void {
    const old = this.levelHead.length
    this.levelPriceOf = grown(this.levelPriceOf, new Int32Array(capacity))
    this.levelHead = grown(this.levelHead, new Int32Array(capacity))
    this.levelTail = grown(this.levelTail, new Int32Array(capacity))
    this.levelLots = grown(this.levelLots, new Float64Array(capacity))
    this.freeLevels = refill(this.freeLevels, this.freeLevelCount, old, capacity)
    this.freeLevelCount += capacity - old
  }

  private growPool(capacity: number): void {
    const old = this.orderId.length
    this.orderId = grown(this.orderId, new Float64Array(capacity))
    this.orderAccount = grown(this.orderAccount, new Int32Array(capacity))
    this.orderSide = grown(this.orderSide, new Uint8Array(capacity))
    this.orderLevel = grown(this.orderLevel, new Int32Array(capacity))
    this.orderLots = grown(this.orderLots, new Float64Array(capacity))
    this.orderNext = grown(this.orderNext, new Int32Array(capacity))
    this.orderPrev = grown(this.orderPrev, new Int32Array(capacity))
    this.orderAccountNext = grown(this.orderAccountNext, new Int32Array(capacity))
    this.orderAccountPrev = grown(this.orderAccountPrev, new Int32Array(capacity))
    this.freeSlots = refill(this.freeSlots, this.freeCount, old, capacity)
    this.freeCount += capacity - old
  }
}

/** `next` with `previous` copied into its start. */
function grown<A extends Float64Array | Int32Array | Uint8Array>(previous: A, next: A): A {
  next.set(previous)
  return next
}

/** A free-slot stack of size `capacity` holding the `used` free slots plus new slots [old, capacity), lowest on top. */
function refill(free: Int32Array, used: number, old: number, capacity: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(capacity)
  next.set(free.subarray(0, used))
  let top = used
  for (let slot = capacity - 1; slot >= old; slot--) next[top++] = slot
  return next
}
