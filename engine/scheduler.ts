// The scheduler: a binary min-heap of pending items ordered by (t, ticket). `ticket` is a
// counter stamped at push time, so two items never compare equal and equal-time items come out
// in the order they were scheduled (FIFO) — a total order, hence a deterministic run.
//
//   keys:  times[i] (simulated ms), tickets[i]      heap shape: parent(i) = (i - 1) >> 1
//   items: items[i]                                  children(i) = 2i + 1, 2i + 2
//
// Keys live in typed arrays and items in one parallel array; pushing and popping allocates
// nothing once the arrays have grown to the run's high-water mark.

import { assert, fail } from './assert.js'

const CAPACITY_MAX = 1 << 26

/** A priority queue of items keyed by (simulated ms, scheduling ticket). */
export class Scheduler<T> {
  private times: Float64Array
  private tickets: Float64Array
  private items: (T | undefined)[]
  private count = 0
  private nextTicket = 0

  constructor(capacity = 1024) {
    this.times = new Float64Array(capacity)
    this.tickets = new Float64Array(capacity)
    this.items = new Array<T | undefined>(capacity)
  }

  get size(): number {
    return this.count
  }

  /** Time (ms) of the next item; Infinity when empty. */
  peekTime(): number {
    return this.count === 0 ? Infinity : (this.times[0] as number)
  }

  /** Schedules `item` at simulated time `t` (ms); equal times keep push order. */
  push(t: number, item: T): void {
    if (!(Number.isInteger(t) && t >= 0)) fail(`scheduler: time must be a non-negative integer ms, got ${t}`)
    if (this.count === this.times.length) this.grow()
    const ticket = this.nextTicket++
    let i = this.count++
    // Sift the hole up, then write once.
    while (i > 0) {
      const parent = (i - 1) >> 1
      const pt = this.times[parent] as number
      if (pt < t || (pt === t && (this.tickets[parent] as number) < ticket)) break
      this.times[i] = pt
      this.tickets[i] = this.tickets[parent] as number
      this.items[i] = this.items[parent]
      i = parent
    }
    this.times[i] = t
    this.tickets[i] = ticket
    this.items[i] = item
  }

  /** Removes and returns the earliest item; the caller reads its time with peekTime() first. */
  pop(): T {
    assert(this.count > 0, 'scheduler: pop from an empty queue')
    const top = this.items[0] as T
    const last = --this.count
    const t = this.times[last] as number
    const ticket = this.tickets[last] as number
    const item = this.items[last]
    this.items[last] = undefined
    if (last > 0) {
      let i = 0
      const half = last >> 1
      while (i < half) {
        let child = 2 * i + 1
        const right = child + 1
        if (right < last) {
          const ct = this.times[child] as number
          const rt = this.times[right] as number
          if (rt < ct || (rt === ct && (this.tickets[right] as number) < (this.tickets[child] as number))) child = right
        }
        const ct = this.times[child] as number
        if (t < ct || (t === ct && ticket < (this.tickets[child] as number))) break
        this.times[i] = ct
        this.tickets[i] = this.tickets[child] as number
        this.items[i] = this.items[child]
        i = child
      }
      this.times[i] = t
      this.tickets[i] = ticket
      this.items[i] = item
    }
    return top
  }

  private grow(): void {
    const capacity = this.times.length * 2
    if (!(capacity <= CAPACITY_MAX)) fail(`scheduler: more than ${CAPACITY_MAX} pending items`)
    const times = new Float64Array(capacity)
    times.set(this.times)
    const tickets = new Float64Array(capacity)
    tickets.set(this.tickets)
    this.times = times
    this.tickets = tickets
    this.items.length = capacity
  }
}
