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

/** An empty index over `accounts` accounts, its arguments in nativeRelink's order after `list, count, band`. */
function emptyIndex(accounts: number) {
  const records = new ArrayBuffer(accounts * FACTORS * 32)
  const slotI = new Int32Array(records)
  for (let s = 0; s < accounts * FACTORS; s++) slotI[8 * s + 2] = -1
  return {
    lots: new Float64Array(accounts * INSTRUMENTS).fill(1),
    units: new Float64Array(accounts * ASSETS),
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
  const call = (x: ReturnType<typeof emptyIndex>, list: number[], count = list.length, band = new Float64Array(list.length).fill(0.1)) =>
    relink(Int32Array.from(list), count, band, x.lots, x.units, x.mark, x.price, INSTRUMENTS, ASSETS, x.slotF, x.slotI, x.heads, x.width, x.maxKeyDown, x.minKeyUp, KEYS, 4)

  it('links an account\'s thresholds and unlinks them again', () => {
    const x = emptyIndex(4)
    call(x, [1, 2])
    expect(x.slotI[8 * (1 * FACTORS) + 2]).not.toBe(-1) // instrument 0, long: a DOWN slot
    expect(x.slotF[4 * (1 * FACTORS)]).toBeCloseTo(90)
    call(x, [1, 2], 2, new Float64Array(2)) // band 0 (BAND_NONE): taken out, not linked again
    for (let s = 0; s < 4 * FACTORS; s++) expect(x.slotI[8 * s + 2]).toBe(-1)
    expect(Array.from(x.heads).every((h) => h === -1)).toBe(true)
  })

  it('refuses an account outside the columns, a count past the list, and a corrupt record', () => {
    const x = emptyIndex(4)
    expect(() => call(x, [4])).toThrow(/native relink: an account is outside the columns/)
    expect(() => call(x, [-1])).toThrow(/outside the columns/)
    expect(() => call(x, [0], 2)).toThrow(/arrays shorter than the shape/)
    x.slotI[8 * 0 + 2] = 0 // slot 0 claims a bucket …
    x.slotI[8 * 0 + 3] = 1_000_000 // … and a next slot past the table
    expect(() => call(x, [0])).toThrow(/slot records are corrupt/)
  })
})
