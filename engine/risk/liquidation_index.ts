// The liquidation index: which accounts a price change can have pushed below maintenance, found
// in time proportional to the accounts it affects, not to the accounts held.
//
// Each account gets a safe band (account_risk.ts): a relative move r such that, as long as
// every price factor it is exposed to stays within r of its value at the last refresh on the
// account's losing side, its health stays ≥ 1 — whatever the other factors did, since the band
// budgets the slack for all of them together. Per factor (an instrument's mark, or a non-cash
// collateral asset's oracle price) the account's threshold sits in a bucketed index:
//
//   factor f, side DOWN (longs, collateral)      side UP (shorts)
//     key = ⌊threshold / width_f⌋                  key = ⌊threshold / width_f⌋
//     buckets[key] → doubly linked slots           buckets[key] → …
//   a fall of f to p crosses every DOWN slot      a rise to p crosses every UP slot
//   with threshold ≥ p: keys ⌊p/w⌋ … maxKey       with threshold ≤ p: keys minKey … ⌊p/w⌋
//
// collect() then re-evaluates exactly (scanRange's arithmetic, that of margin.ts, in one call of
// a list kernel: the native one where the addon is built, else scan_kernel.ts's compiled one) only:
// accounts whose band a factor crossed, accounts that changed since (the store's change log),
// and watched accounts (unhealthy, too close to call, or watched by the caller: an open
// liquidation episode). It returns those that are unhealthy or watched, in account order: the
// same set a full scan finds (property test: test/property/liquidation_index.test.ts).
// Re-evaluated accounts are re-banded at the current prices, by the addon's loop
// (native/liquidation_relink.cc: the same slot records, in C++) where it is built, else by
// relink's TypeScript loop. With the addon, each account's records also hold a copy of its cash,
// lots and units, which the native list scan and loop read instead of the store's columns (one
// page per candidate, not four). When over half of a large store
// changed (setup, a funding settlement), it rebuilds from a full RiskEvaluator scan instead —
// the place the worker pool pays.
//
// Non-goals: the band is conservative (a healthy account may be re-checked early; never missed).

import { BAND_NONE } from './account_risk.js'
import { riskColumns, type RiskColumns } from './risk_columns.js'
import type { RiskEvaluator } from './risk_evaluator.js'
import { nativeListScan, nativeListScanOfCopies, nativeRelink } from './native_scan.js'
import { compiledListKernel, listKernel } from './scan_kernel.js'
import type { AccountStore } from '../margin/account_store.js'
import type { MarginModel } from '../margin/margin.js'
import { sharedFloat64 } from '../shared_columns.js'

const NONE = -1
/** A slot record's bytes, and its int32 fields' offsets from 8·s. */
const SLOT_BYTES = 32
const CODE = 2
const NEXT = 3
const PREVIOUS = 4
/** Buckets per current price: the width of a key is price / BUCKETS_PER_PRICE. */
const BUCKETS_PER_PRICE = 512
/**
 * Keys per factor and side: thresholds up to 16x the price the widths were set at get their own
 * bucket; beyond that they share the last one, which costs nothing in correctness (a visited
 * bucket's slots are still compared with the price one by one) and is never visited short of a
 * 16x move. A dense table instead of a Map: linking a slot is two array accesses, not two hash
 * operations (the hash map was a third of an oracle tick's time).
 */
const KEYS = BUCKETS_PER_PRICE * 16
/** Stores at least this large rebuild from a full scan when over half of them need a look (a rebuild costs about two looks per account). */
const REBUILD_ACCOUNTS_MIN = 4096

/** Per-instrument and per-collateral safe-band index over an account store. */
export class LiquidationIndex {
  /** Price factors: instruments 0…I−1, then non-cash assets 1…A−1 as I…I+A−2. */
  readonly factors: number
  /**
   * 32-byte records per account: its factors' slots, then (native re-banding only) a copy of its
   * cash, lots and units. The copy puts all an oracle tick reads of a crossed account on the page
   * its slots are on: one TLB miss per candidate instead of four (its slots, and the store's cash,
   * lots and units columns), which was most of a tick at 1M accounts (docs/BENCHMARKS.md).
   */
  private readonly stride: number
  private columns: RiskColumns
  private capacity = 0
  // Slot s = a·stride + f (f < factors), one 32-byte record, so its fields share a cache line (an
  // oracle tick touches slots of accounts scattered over the book): the threshold (ticks, f64 at
  // 4s), and as int32 at 8s + 2…4 the bucket code (side·KEYS + key; NONE: not indexed), next and
  // previous slot.
  private slotF = new Float64Array(0)
  private slotI = new Int32Array(0)
  /**
   * Views of the copies, account a's at 4·stride·a: cash, then lots by instrument, then units by
   * asset. Each equals the store's values for every account not in its change log (growth copies
   * the new accounts; draining the log, before any scan, copies the changed ones). Null without
   * the copies.
   */
  private copies: RiskColumns | null = null
  /** heads[(2f + side)·KEYS + key]: the bucket's first slot, or NONE. */
  private readonly heads: Int32Array
  private readonly width: Float64Array
  private readonly maxKeyDown: Float64Array
  private readonly minKeyUp: Float64Array
  /** Factor f's price when its buckets were last walked (NaN: walk at the next collect). */
  private readonly walkedAt: Float64Array
  /**
   * Accounts re-evaluated at every collect: watchList[0…watchCount) (rebuilt by each collect). A
   * typed array kept across collects: a number[] emptied with `length = 0` lost its storage, so
   * every tick grew it again.
   */
  private watchList = new Int32Array(1024)
  private watchCount = 0
  private candidates = new Int32Array(1024)
  private candidateCount = 0
  private band = sharedFloat64(0)
  /** The candidates' scan: unhealthy ones with their health, and every candidate's band (by list position). */
  private listAccounts = new Int32Array(1024)
  private listHealth = new Float64Array(1024)
  private listBand = new Float64Array(1024)
  /** 0, 1, 2, …: the list a rebuild re-bands. */
  private everyAccount = new Int32Array(0)
  /** Accounts re-evaluated by the last collect (for benchmarks and tests). */
  evaluated = 0
  /** Full rebuilds so far. */
  rebuilds = 0
  /** Accounts evaluated by all collects so far (a rebuild counts every account). */
  looked = 0

  /** The native re-banding loop (with the native list scan), unless the caller asked for the TypeScript loop and compiled kernel (tests compare the two). */
  private readonly nativeRelink: typeof nativeRelink

  constructor(private readonly store: AccountStore, private readonly margin: MarginModel, public evaluator: RiskEvaluator, options: { native?: boolean } = {}) {
    this.nativeRelink = options.native === false ? null : nativeRelink
    this.factors = margin.instruments + margin.assets - 1
    const copySlots = this.nativeRelink === null ? 0 : Math.ceil((1 + margin.instruments + margin.assets) / 4)
    this.stride = this.factors + copySlots
    this.columns = riskColumns(store, margin)
    this.heads = new Int32Array(2 * this.factors * KEYS).fill(NONE)
    this.width = new Float64Array(this.factors)
    this.maxKeyDown = new Float64Array(this.factors).fill(-Infinity)
    this.minKeyUp = new Float64Array(this.factors).fill(Infinity)
    this.walkedAt = new Float64Array(this.factors).fill(Number.NaN)
    this.ensure()
  }

  /**
   * Appends to `out` (cleared first), ascending, every account that is below maintenance or for
   * which `watch(a)` holds, re-banding the accounts it had to look at.
   */
  collect(out: number[], watch: (a: number) => boolean): void {
    out.length = 0
    this.ensure()
    const store = this.store
    const changed = store.changedList
    if (store.count >= REBUILD_ACCOUNTS_MIN && (changed.length + this.watchCount) * 2 > store.count) {
      this.rebuild(out, watch)
      return
    }
    this.candidateCount = 0
    for (let k = 0; k < changed.length; k++) this.addCandidate(changed[k] as number)
    this.drainChangeLog()
    for (let k = 0; k < this.watchCount; k++) this.addCandidate(this.watchList[k] as number)
    for (let f = 0; f < this.factors; f++) this.collectCrossed(f)
    // Sorted, then each account once (a walk may add an account once per factor it crossed, and it may be changed or watched too).
    const sorted = this.candidates.subarray(0, this.candidateCount).sort()
    let unique = 0
    for (let k = 0; k < sorted.length; k++) {
      const a = sorted[k] as number
      if (unique === 0 || sorted[unique - 1] !== a) sorted[unique++] = a
    }
    const list = sorted.subarray(0, unique)
    this.evaluated = list.length
    this.looked += list.length
    if (list.length > this.listBand.length) {
      this.listAccounts = new Int32Array(this.candidates.length)
      this.listHealth = new Float64Array(this.candidates.length)
      this.listBand = new Float64Array(this.candidates.length)
    }
    // All candidates in one call of a list kernel (its per-scan setup paid once, not per account);
    // the native one reads the copies beside the slot records.
    const kernel = this.nativeRelink === null ? compiledListKernel(this.columns) : listKernel(this.columns)
    const unhealthyCount = kernel === nativeListScan && nativeListScanOfCopies !== null && this.copies !== null
      ? nativeListScanOfCopies(this.copies, 4 * this.stride, list, list.length, this.listAccounts, this.listHealth, this.listBand)
      : kernel(this.columns, list, list.length, this.listAccounts, this.listHealth, this.listBand)
    this.watchCount = 0
    const band = this.listBand
    let next = 0
    for (let k = 0; k < list.length; k++) {
      const a = list[k] as number
      const unhealthy = next < unhealthyCount && this.listAccounts[next] === a
      if (unhealthy) next++
      this.classify(a, unhealthy, band, k, out, watch)
    }
    this.relink(list, list.length, band)
  }

  /** Re-bands every account from one full scan of the evaluator. */
  private rebuild(out: number[], watch: (a: number) => boolean): void {
    const count = this.store.count
    this.rebuilds++
    this.evaluated = count
    this.looked += count
    this.drainChangeLog()
    this.heads.fill(NONE)
    this.unindexAccounts(0, this.capacity)
    for (let f = 0; f < this.factors; f++) {
      const price = this.priceOf(f)
      this.width[f] = price > 0 ? price / BUCKETS_PER_PRICE : 1
      this.maxKeyDown[f] = -Infinity
      this.minKeyUp[f] = Infinity
      this.walkedAt[f] = Number.NaN
    }
    this.watchCount = 0
    const scan = this.evaluator.evaluate(this.columns, count, this.band)
    const band = this.band
    let next = 0
    for (let a = 0; a < count; a++) {
      const unhealthy = next < scan.count && scan.accounts[next] === a
      if (unhealthy) next++
      this.classify(a, unhealthy, band, a, out, watch)
    }
    if (this.everyAccount.length < count) {
      this.everyAccount = new Int32Array(this.capacity)
      for (let a = 0; a < this.capacity; a++) this.everyAccount[a] = a
    }
    this.relink(this.everyAccount, count, band)
  }

  /**
   * Sorts an evaluated account: into `out` if it is unhealthy or the caller watches it, and into
   * the watch list, its band[k] set to BAND_NONE, if so or if it has no safe band.
   */
  private classify(a: number, unhealthy: boolean, band: Float64Array, k: number, out: number[], watch: (a: number) => boolean): void {
    const watching = unhealthy || watch(a)
    if (watching) out.push(a)
    if (watching || !((band[k] as number) > 0)) {
      this.watchList = withAccount(this.watchList, this.watchCount++, a)
      band[k] = BAND_NONE
    }
  }

  /**
   * Re-bands accounts list[0…count): takes each one's slots out of their buckets, then, unless
   * band[k] is BAND_NONE (watched) or Infinity (no exposure), links its thresholds for band[k]
   * (relative move). The native addon's loop where it is built, else linkAccount's.
   */
  private relink(list: Int32Array, count: number, band: Float64Array): void {
    if (this.nativeRelink !== null && this.copies !== null) {
      const m = this.margin
      this.nativeRelink(list, count, band, this.copies.positionLots, this.copies.collateralUnits, 4 * this.stride, m.markTicks, m.assetPriceTicks,
        m.instruments, m.assets, this.stride, this.slotF, this.slotI, this.heads, this.width, this.maxKeyDown, this.minKeyUp, KEYS, BUCKETS_PER_PRICE)
      return
    }
    for (let k = 0; k < count; k++) {
      const a = list[k] as number
      this.unlinkAccount(a)
      const b = band[k] as number
      if (b !== BAND_NONE && b !== Infinity) this.linkAccount(a, b)
    }
  }

  /** Links account a's thresholds for a band of `band` (relative move, > 0 and finite). */
  private linkAccount(a: number, band: number): void {
    const store = this.store
    const instruments = this.margin.instruments
    for (let i = 0; i < instruments; i++) {
      const lots = store.positionLots[a * instruments + i] as number
      if (lots === 0) continue
      const price = this.margin.markTicks[i] as number
      if (lots > 0) this.link(a, i, false, price * (1 - band))
      else this.link(a, i, true, price * (1 + band))
    }
    for (let k = 1; k < this.margin.assets; k++) {
      if ((store.collateralUnits[a * this.margin.assets + k] as number) > 0) {
        this.link(a, instruments + k - 1, false, (this.margin.assetPriceTicks[k] as number) * (1 - band))
      }
    }
  }

  /** Puts slot (a, f) in its bucket; a DOWN threshold ≤ 0 can never be crossed and is left out. */
  private link(a: number, f: number, up: boolean, threshold: number): void {
    if (!up && threshold <= 0) return
    if (this.width[f] === 0) {
      const price = this.priceOf(f)
      this.width[f] = price > 0 ? price / BUCKETS_PER_PRICE : 1
    }
    const s = a * this.stride + f
    const key = keyOf(threshold, this.width[f] as number)
    const h = (2 * f + (up ? 1 : 0)) * KEYS + key
    const head = this.heads[h] as number
    const slot = this.slotI
    this.slotF[4 * s] = threshold
    slot[8 * s + CODE] = (up ? KEYS : 0) + key
    slot[8 * s + PREVIOUS] = NONE
    slot[8 * s + NEXT] = head
    if (head !== NONE) slot[8 * head + PREVIOUS] = s
    this.heads[h] = s
    if (up) {
      if (key < (this.minKeyUp[f] as number)) this.minKeyUp[f] = key
    } else if (key > (this.maxKeyDown[f] as number)) {
      this.maxKeyDown[f] = key
    }
  }

  /** Marks the slots of accounts [from, to) as in no bucket (their links are not followed: the caller clears or never set the heads). */
  private unindexAccounts(from: number, to: number): void {
    for (let a = from; a < to; a++) {
      for (let f = 0; f < this.factors; f++) this.slotI[8 * (a * this.stride + f) + CODE] = NONE
    }
  }

  /** Copies account a's cash, lots and units from the store into its record. */
  private copyAccount(a: number): void {
    const copies = this.copies
    if (copies === null) return
    const store = this.store
    const instruments = this.margin.instruments
    const assets = this.margin.assets
    const at = 4 * this.stride * a
    copies.cash[at] = store.cash[a] as number
    for (let i = 0; i < instruments; i++) copies.positionLots[at + i] = store.positionLots[a * instruments + i] as number
    for (let k = 0; k < assets; k++) copies.collateralUnits[at + k] = store.collateralUnits[a * assets + k] as number
  }

  /** Takes all of account a's slots out of their buckets. */
  private unlinkAccount(a: number): void {
    const base = a * this.stride
    for (let f = 0; f < this.factors; f++) {
      const s = base + f
      const slot = this.slotI
      const code = slot[8 * s + CODE] as number
      if (code === NONE) continue
      const before = slot[8 * s + PREVIOUS] as number
      const after = slot[8 * s + NEXT] as number
      if (before === NONE) {
        this.heads[2 * f * KEYS + code] = after
      } else {
        slot[8 * before + NEXT] = after
      }
      if (after !== NONE) slot[8 * after + PREVIOUS] = before
      slot[8 * s + CODE] = NONE
    }
  }

  /**
   * Adds the accounts whose threshold on factor f the current price crossed to the candidates.
   * Nothing to do if f has not moved since its last walk: every slot linked since was banded at
   * this price, on its safe side. (Without this, each collect re-read factor f's boundary bucket,
   * where the accounts nearest their thresholds sit on every factor they hold: most of a
   * one-factor tick's walking.)
   */
  private collectCrossed(f: number): void {
    const price = this.priceOf(f)
    if (price === this.walkedAt[f]) return
    this.walkedAt[f] = price
    const width = this.width[f] as number
    if (width === 0) return
    const at = keyOf(price, width)
    const stride = this.stride
    if (at <= (this.maxKeyDown[f] as number)) {
      const down = 2 * f * KEYS
      for (let key = at; key <= (this.maxKeyDown[f] as number); key++) {
        for (let s = this.heads[down + key] as number; s !== NONE; s = this.slotI[8 * s + NEXT] as number) {
          if ((this.slotF[4 * s] as number) >= price) this.addCandidate((s / stride) | 0)
        }
      }
      this.maxKeyDown[f] = at // every slot left above `at` was crossed and is re-banded below the price
    }
    if (at >= (this.minKeyUp[f] as number)) {
      const upward = (2 * f + 1) * KEYS
      for (let key = this.minKeyUp[f] as number; key <= at; key++) {
        for (let s = this.heads[upward + key] as number; s !== NONE; s = this.slotI[8 * s + NEXT] as number) {
          if ((this.slotF[4 * s] as number) <= price) this.addCandidate((s / stride) | 0)
        }
      }
      this.minKeyUp[f] = at
    }
  }

  private addCandidate(a: number): void {
    this.candidates = withAccount(this.candidates, this.candidateCount++, a)
  }

  /** Brings the copies of the accounts in the store's change log up to date, then empties the log. */
  private drainChangeLog(): void {
    const changed = this.store.changedList
    if (this.copies !== null) for (let k = 0; k < changed.length; k++) this.copyAccount(changed[k] as number)
    this.store.drainChanged()
  }

  /** Current price of factor f (mark ticks, or the asset's oracle ticks). */
  private priceOf(f: number): number {
    const instruments = this.margin.instruments
    return f < instruments ? (this.margin.markTicks[f] as number) : (this.margin.assetPriceTicks[f - instruments + 1] as number)
  }

  /** Follows the store's growth: new columns, larger records (copying the new accounts' values). */
  private ensure(): void {
    const store = this.store
    if (this.columns.cash !== store.cash) {
      this.columns = riskColumns(store, this.margin)
      if (this.copies !== null) this.copies = this.copyViews(this.slotF.buffer)
    }
    if (store.capacity <= this.capacity) return
    const capacity = store.capacity
    const records = new ArrayBuffer(capacity * this.stride * SLOT_BYTES)
    const slotI = new Int32Array(records)
    slotI.set(this.slotI)
    this.slotF = new Float64Array(records)
    this.slotI = slotI
    this.unindexAccounts(this.capacity, capacity)
    if (this.nativeRelink !== null) {
      this.copies = this.copyViews(records)
      for (let a = this.capacity; a < store.count; a++) this.copyAccount(a)
    }
    this.band = sharedFloat64(capacity)
    this.capacity = capacity
  }

  /** The risk columns with cash, positionLots and collateralUnits read from the copies in `records`. */
  private copyViews(records: ArrayBufferLike): RiskColumns {
    const at = this.factors * SLOT_BYTES
    const instruments = this.margin.instruments
    return {
      ...this.columns,
      cash: new Float64Array(records, at),
      positionLots: new Float64Array(records, at + 8),
      collateralUnits: new Float64Array(records, at + 8 * (1 + instruments)),
    }
  }
}

/** `list` with account a at position k (k ≤ its length): the same array, or a copy twice as long when full. */
function withAccount(list: Int32Array<ArrayBuffer>, k: number, a: number): Int32Array<ArrayBuffer> {
  let at = list
  if (k === list.length) {
    at = new Int32Array(list.length * 2)
    at.set(list)
  }
  at[k] = a
  return at
}

/** Bucket key of a threshold or price (ticks) for a key width (ticks), within [0, KEYS − 1]. */
function keyOf(ticks: number, width: number): number {
  return Math.min(KEYS - 1, Math.max(0, Math.floor(ticks / width)))
}
