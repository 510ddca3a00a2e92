// Margin accounts as struct-of-arrays over SharedArrayBuffers, indexed by account id, so a risk
// scan is a tight loop over flat memory and worker threads can read the same bytes.
//
//   cash[a]                        integer cash units (deposits ± trades, fees, penalties)
//   deposited[a]                   total deposited, for per-account loss
//   positionLots[a·I + i]          signed lots of instrument i (long > 0)
//   entryCostTicks[a·I + i]        signed Σ lots·price of the open position (entry price = cost / lots)
//
// Equity is cash + Σ positionLots·mark·cashPerTickLot: trading moves cash at the fill price, so
// the sum over accounts of cash + position value is conserved exactly (positions net to zero).

import { assert, fail } from '../assert.js'

const CAPACITY_MAX = 1 << 26

function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(Math.max(1, length) * Float64Array.BYTES_PER_ELEMENT))
}

/** Columns of all accounts; grows by doubling between events. */
export class AccountStore {
  count = 0
  capacity: number
  cash: Float64Array
  deposited: Float64Array
  positionLots: Float64Array
  entryCostTicks: Float64Array

  /** `instruments` is the stride of the per-instrument columns. */
  constructor(readonly instruments: number, capacity = 1024) {
    assert(instruments >= 1, 'accounts: at least one instrument')
    this.capacity = capacity
    this.cash = sharedFloat64(capacity)
    this.deposited = sharedFloat64(capacity)
    this.positionLots = sharedFloat64(capacity * instruments)
    this.entryCostTicks = sharedFloat64(capacity * instruments)
  }

  /** Opens the next account and returns its id. */
  open(): number {
    if (this.count === this.capacity) this.grow(this.capacity * 2)
    return this.count++
  }

  /** Signed position of account `a` in instrument `i` (lots). */
  position(a: number, i: number): number {
    return this.positionLots[a * this.instruments + i] as number
  }

  /**
   * Books a trade of `signedLots` (buy > 0) at `priceTicks` into account `a`'s position in
   * instrument `i`, moving cash by −signedLots·price·cashPerTickLot.
   */
  trade(a: number, i: number, signedLots: number, priceTicks: number, cashPerTickLot: number): void {
    const k = a * this.instruments + i
    const position = this.positionLots[k] as number
    const cost = this.entryCostTicks[k] as number
    const next = position + signedLots
    if (position === 0 || (position > 0) === (signedLots > 0)) {
      this.entryCostTicks[k] = cost + signedLots * priceTicks
    } else if (next === 0) {
      this.entryCostTicks[k] = 0
    } else if ((next > 0) === (position > 0)) {
      this.entryCostTicks[k] = cost * (next / position) // reduce: keep the entry price
    } else {
      this.entryCostTicks[k] = next * priceTicks // flip: the remainder opened at this price
    }
    this.positionLots[k] = next
    this.cash[a] = (this.cash[a] as number) - signedLots * priceTicks * cashPerTickLot
  }

  private grow(capacity: number): void {
    if (!(capacity <= CAPACITY_MAX)) fail(`accounts: more than ${CAPACITY_MAX} accounts`)
    const copy = (array: Float64Array, length: number): Float64Array => {
      const next = sharedFloat64(length)
      next.set(array)
      return next
    }
    this.cash = copy(this.cash, capacity)
    this.deposited = copy(this.deposited, capacity)
    this.positionLots = copy(this.positionLots, capacity * this.instruments)
    this.entryCostTicks = copy(this.entryCostTicks, capacity * this.instruments)
    this.capacity = capacity
  }
}
