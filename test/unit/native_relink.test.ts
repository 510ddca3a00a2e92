// The native re-banding loop (native/liquidation_relink.cc) refuses calls that would index outside
// the arrays it is given — an account past the columns, short arrays, a record linking outside the
// slot table — instead of writing past them. (That it keeps the index exact is the property test's
// job: test/property/liquidation_index.test.ts runs with and without it.)

import { describe, expect, it } from 'vitest'
import { nativeRelink } from '../../engine/risk/native_scan.js'

const KEYS = 16
const INSTRUMENTS = 2
const ASSETS = 2
const FACTORS = INSTRUMENTS + ASSETS - 1
/** Records per account, as liquidation_index.ts lays them out: the factors' slots, then the copy of cash, lots and units (5 doubles: 2 records). */
const STRIDE = FACTORS + 2

/** An empty index over `accounts` accounts, each long 1 lot of both instruments, its arguments in nativeRelink's order after `list, count, band`. */
function emptyIndex(accounts: number) {
  const records = new ArrayBuffer(accounts * STRIDE * 32)
  const slotI = new Int32Array(records)
  for (let a = 0; a < accounts; a++) for (let f = 0; f < FACTORS; f++) slotI[8 * (a * STRIDE + f) + 2] = -1
  const lots = new Float64Array(records, FACTORS * 32 + 8)
  for (let a = 0; a < accounts; a++) lots.fill(1, 4 * STRIDE * a, 4 * STRIDE * a + INSTRUMENTS)
  return {
    lots,
    units: new Float64Array(records, FACTORS * 32 + 8 * (1 + INSTRUMENTS)),
    mark: Float64Array.from([100, 200]),
    price: Float64Array.from([1, 50]),
    slotF: new Float64Array(records),
    slotI,
    heads: new Int32Array(2 * FACTORS * KEYS).fill(-1),
    width: new Float64Array(FACTORS),
    maxKeyDown: new Float64Array(FACTORS).fill(-Infinity),
    minKeyUp: new Float64Array(FACTORS).fill(Infinity),
  }
}

describe.skipIf(nativeRelink === null)('native relink', () => {
  const relink = nativeRelink!
  const call = (x: ReturnType<typeof emptyIndex>, list: number[], count = list.length, band = new Float64Array(list.length).fill(0.1), stride = STRIDE) =>
    relink(Int32Array.from(list), count, band, x.lots, x.units, 4 * STRIDE, x.mark, x.price, INSTRUMENTS, ASSETS, stride, x.slotF, x.slotI, x.heads, x.width,
      x.maxKeyDown, x.minKeyUp, KEYS, 4)

  it('links an account\'s thresholds and unlinks them again', () => {
    const x = emptyIndex(4)
    call(x, [1, 2])
    expect(x.slotI[8 * (1 * STRIDE) + 2]).not.toBe(-1) // instrument 0, long: a DOWN slot
    expect(x.slotF[4 * (1 * STRIDE)]).toBeCloseTo(90)
    expect(x.slotF[4 * (2 * STRIDE + 1)]).toBeCloseTo(180) // instrument 1, account 2
    expect(x.slotI[8 * (2 * STRIDE + 1) + 3]).toBe(1 * STRIDE + 1) // linked ahead of account 1's slot in the same bucket
    expect(x.lots[4 * STRIDE * 2]).toBe(1) // the copies beside the slots are read, not written
    call(x, [1, 2], 2, new Float64Array(2)) // band 0 (BAND_NONE): taken out, not linked again
    for (let a = 0; a < 4; a++) for (let f = 0; f < FACTORS; f++) expect(x.slotI[8 * (a * STRIDE + f) + 2]).toBe(-1)
    expect(Array.from(x.heads).every((h) => h === -1)).toBe(true)
  })

  it('refuses an account outside the columns, a count past the list, and a corrupt record', () => {
    const x = emptyIndex(4)
    expect(() => call(x, [4])).toThrow(/native relink: an account is outside the columns/)
    expect(() => call(x, [-1])).toThrow(/outside the columns/)
    expect(() => call(x, [0], 2)).toThrow(/arrays shorter than the shape/)
    expect(() => call(x, [0], 1, undefined, FACTORS - 1)).toThrow(/bad shape/) // records narrower than an account's slots
    x.slotI[8 * 0 + 2] = 0 // slot 0 claims a bucket …
    x.slotI[8 * 0 + 3] = 1_000_000 // … and a next slot past the table
    expect(() => call(x, [0])).toThrow(/slot records are corrupt/)
  })
})
