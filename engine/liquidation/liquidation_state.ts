// What the liquidation engine remembers between inputs, per account, struct-of-arrays by id:
//
//   nextStepMs[a]     earliest simulated ms of a's next partial step (venues rate-limit steps)
//   wakeDueMs[a]      due time of the LiquidationWake last asked for, or NO_WAKE
//   episodeCause[a]   cause of the first step of a's current liquidation episode, or NO_EPISODE
//   readyMs[a]        liquidationDelayMs: no step of a's episode before this simulated ms
//   underwater[a]     1 once a's episode was recorded Underwater (equity < 0 when reached), else 0
//
// wakeDueMs[0] is the insurance fund's next unwind look (insurance_fund.ts).
// An episode runs from an account's first step until it is examined healthy (or flat). Follow-up
// steps name the episode's cause, so a step that only waited out the rate limit or an auction
// keeps the generation of the price move that started it. This state is part of the venue's
// state digest: replay must re-derive it.

import type { Hash } from 'node:crypto'

export const NO_WAKE = -1
export const NO_EPISODE = -2

/** Per-account liquidation timers and episode causes; grows with the account store. */
export class LiquidationState {
  nextStepMs: Float64Array = new Float64Array(1024)
  wakeDueMs: Float64Array = new Float64Array(1024).fill(NO_WAKE)
  episodeCause: Float64Array = new Float64Array(1024).fill(NO_EPISODE)
  readyMs: Float64Array = new Float64Array(1024)
  underwater: Float64Array = new Float64Array(1024)

  /** Makes room for account ids below `count`. */
  ensure(count: number): void {
    if (count <= this.nextStepMs.length) return
    let capacity = this.nextStepMs.length * 2
    while (capacity < count) capacity *= 2
    this.nextStepMs = grow(this.nextStepMs, capacity, 0)
    this.wakeDueMs = grow(this.wakeDueMs, capacity, NO_WAKE)
    this.episodeCause = grow(this.episodeCause, capacity, NO_EPISODE)
    this.readyMs = grow(this.readyMs, capacity, 0)
    this.underwater = grow(this.underwater, capacity, 0)
  }

  /** Adds the first `count` accounts' state to a digest. */
  digest(hash: Hash, count: number): void {
    hash.update(new Uint8Array(this.nextStepMs.slice(0, count).buffer))
    hash.update(new Uint8Array(this.wakeDueMs.slice(0, count).buffer))
    hash.update(new Uint8Array(this.episodeCause.slice(0, count).buffer))
    hash.update(new Uint8Array(this.readyMs.slice(0, count).buffer))
    hash.update(new Uint8Array(this.underwater.slice(0, count).buffer))
  }
}

function grow(array: Float64Array, capacity: number, fill: number): Float64Array {
  const next = new Float64Array(capacity).fill(fill)
  next.set(array)
  return next
}
