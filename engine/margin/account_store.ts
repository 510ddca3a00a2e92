// Margin accounts as struct-of-arrays over SharedArrayBuffers, indexed by account id, so a risk
// scan is a tight loop over flat memory and worker threads can read the same bytes.
//
//   cash[a]                        integer cash units of the settlement asset (deposits ± trades, fees, penalties)
//   deposited[a]                   cash deposited, for per-account loss
//   realizedPnl[a]                 Σ PnL realised by reducing positions (cash units; informational)
//   parent[a]                      NO_ACCOUNT for a top-level (cross) account, else the owning account
//   onlyInstrument[a]              ANY_INSTRUMENT, or the one instrument an isolated compartment may hold
//   collateralUnits[a·A + k]       integer units of non-cash asset k (slot 0, the cash asset, stays 0)
//   positionLots[a·I + i]          signed lots of instrument i (long > 0)
//   entryCostTicks[a·I + i]        signed Σ lots·price of the open position (entry price = cost / lots)
//
// Every store account is one margin pool judged on its own: a top-level account is a cross pool;
// an isolated position or a sub-account is a compartment — a store account whose parent is the
// cross account that owns it, with its own cash, collateral and positions.
//
// Every change of an account's cash, collateral or positions goes through trade/credit/addCash,
// which log the account once in `changedList` (deduplicated by `changedFlag`) for the
// liquidation index (risk/liquidation_index.ts) to re-band it, and every time in `changeJournal`
// for readers with a cursor (the ADL queue); the index drains both.
//
// Equity is cash + haircut collateral + Σ positionLots·mark·cashPerTickLot: trading moves cash
// at the fill price, so Σ over accounts of cash + position value is conserved exactly
// (positions net to zero) and wallet balance = cash + Σ entryCost·cashPerTickLot.

import { assert, fail } from '../assert.js'
import { sharedFloat64, sharedInt32 } from '../shared_columns.js'

const CAPACITY_MAX = 1 << 26

/** parent[a] of a top-level account. */
export const NO_ACCOUNT = -1
/** onlyInstrument[a] of an account that may trade every instrument. */
export const ANY_INSTRUMENT = -1

/** Columns of all accounts; grows by doubling between events. */
export class AccountStore {
  count = 0
  capacity: number
  cash: Float64Array
  deposited: Float64Array
  realizedPnl: Float64Array
  parent: Int32Array
  onlyInstrument: Int32Array
  collateralUnits: Float64Array
  positionLots: Float64Array
  entryCostTicks: Float64Array
  /** 1 while account a is in changedList (main-thread bookkeeping, not shared). */
  changedFlag: Uint8Array
  /** Accounts whose cash, collateral or positions changed since the log was last drained. */
  readonly changedList: number[] = []
  /** Every change in order, repeats included (for readers that keep a cursor: the ADL queue); cleared with the log. */
  readonly changeJournal: number[] = []
  /** Times the change log or journal was cleared (a reader with a cursor knows it lost entries when this moves). */
  drains = 0

  /** `instruments` and `assets` are the strides of the per-instrument and per-asset columns. */
  constructor(readonly instruments: number, readonly assets = 1, capacity = 1024) {
    assert(instruments >= 1, 'accounts: at least one instrument')
    assert(assets >= 1, 'accounts: at least the cash asset')
    this.capacity = capacity
    this.cash = sharedFloat64(capacity)
    this.deposited = sharedFloat64(capacity)
    this.realizedPnl = sharedFloat64(capacity)
    this.parent = sharedInt32(capacity)
    this.onlyInstrument = sharedInt32(capacity)
    this.collateralUnits = sharedFloat64(capacity * assets)
    this.positionLots = sharedFloat64(capacity * instruments)
    this.entryCostTicks = sharedFloat64(capacity * instruments)
    this.changedFlag = new Uint8Array(capacity)
  }

  /** Opens the next account (a compartment of `parent` if given) and returns its id. */
  open(parent = NO_ACCOUNT, onlyInstrument = ANY_INSTRUMENT): number {
    if (this.count === this.capacity) this.grow(this.capacity * 2)
    const a = this.count++
    this.parent[a] = parent
    this.onlyInstrument[a] = onlyInstrument
    return a
  }

  /** Signed position of account `a` in instrument `i` (lots). */
  position(a: number, i: number): number {
    return this.positionLots[a * this.instruments + i] as number
  }

  /** Units of asset `k` held by account `a` (cash units for the cash asset). */
  balance(a: number, k: number): number {
    return k === 0 ? (this.cash[a] as number) : (this.collateralUnits[a * this.assets + k] as number)
  }

  /** Logs account `a` as changed (once until the log is drained). */
  markChanged(a: number): void {
    const journal = this.changeJournal
    journal.push(a)
    if (journal.length > 4 * this.capacity + 1024) { // nobody drained it for long: readers start over
      journal.length = 0
      this.drains++
    }
    if (this.changedFlag[a] === 1) return
    this.changedFlag[a] = 1
    this.changedList.push(a)
  }

  /** Empties the change log (its reader has dealt with every account in it). */
  drainChanged(): void {
    const changed = this.changedList
    for (let k = 0; k < changed.length; k++) this.changedFlag[changed[k] as number] = 0
    changed.length = 0
    this.changeJournal.length = 0
    this.drains++
  }

  /** Adds `amount` cash units (negative: removes) to account `a`. */
  addCash(a: number, amount: number): void {
    this.cash[a] = (this.cash[a] as number) + amount
    this.markChanged(a)
  }

  /** Adds `units` of asset `k` to account `a` (cash for k = 0). */
  credit(a: number, k: number, units: number): void {
    this.markChanged(a)
    if (k === 0) this.cash[a] = (this.cash[a] as number) + units
    else this.collateralUnits[a * this.assets + k] = (this.collateralUnits[a * this.assets + k] as number) + units
  }

  /**
   * Books a trade of `signedLots` (buy > 0) at `priceTicks` into account `a`'s position in
   * instrument `i`, moving cash by −signedLots·price·cashPerTickLot. A reduce keeps the entry
   * price and realises (price − entry)·closed lots.
   */
  trade(a: number, i: number, signedLots: number, priceTicks: number, cashPerTickLot: number): void {
    const k = a * this.instruments + i
    const position = this.positionLots[k] as number
    const cost = this.entryCostTicks[k] as number
    const next = position + signedLots
    if (position === 0 || (position > 0) === (signedLots > 0)) {
      this.entryCostTicks[k] = cost + signedLots * priceTicks
    } else {
      const closed = Math.min(Math.abs(signedLots), Math.abs(position)) * (position > 0 ? 1 : -1)
      this.realizedPnl[a] = (this.realizedPnl[a] as number) + (closed * priceTicks - cost * (closed / position)) * cashPerTickLot
      if (next === 0) {
        this.entryCostTicks[k] = 0
      } else if ((next > 0) === (position > 0)) {
        this.entryCostTicks[k] = cost * (next / position) // reduce: keep the entry price
      } else {
        this.entryCostTicks[k] = next * priceTicks // flip: the remainder opened at this price
      }
    }
    this.positionLots[k] = next
    this.markChanged(a)
    this.cash[a] = (this.cash[a] as number) - signedLots * priceTicks * cashPerTickLot
  }

  private grow(capacity: number): void {
    if (!(capacity <= CAPACITY_MAX)) fail(`accounts: more than ${CAPACITY_MAX} accounts`)
    const copy = <T extends Float64Array | Int32Array>(array: T, next: T): T => {
      next.set(array)
      return next
    }
    this.cash = copy(this.cash, sharedFloat64(capacity))
    this.deposited = copy(this.deposited, sharedFloat64(capacity))
    this.realizedPnl = copy(this.realizedPnl, sharedFloat64(capacity))
    this.parent = copy(this.parent, sharedInt32(capacity))
    this.onlyInstrument = copy(this.onlyInstrument, sharedInt32(capacity))
    this.collateralUnits = copy(this.collateralUnits, sharedFloat64(capacity * this.assets))
    this.positionLots = copy(this.positionLots, sharedFloat64(capacity * this.instruments))
    this.entryCostTicks = copy(this.entryCostTicks, sharedFloat64(capacity * this.instruments))
    const flags = new Uint8Array(capacity)
    flags.set(this.changedFlag)
    this.changedFlag = flags
    this.capacity = capacity
  }
}
