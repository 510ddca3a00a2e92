// The compiled scan kernel (engine/risk/scan_kernel.ts) and the native one (native_scan.ts,
// native/scan_kernel.cc) against the reference loop (account_risk.ts scanRange), bit for bit — unhealthy accounts, health and bands — on random
// venue shapes (1–5 instruments with 1–12 tier rows, negative maintenance amounts included, 1–4
// assets with and without a size premium) and random accounts with the edges the compiled code
// special-cases: flat positions, a position without a mark, negative collateral units, a
// notional exactly on a tier cap. Then units and prices change and the scan runs again, which
// the size-premium memo must notice (the kernels share it: each run reads what the previous wrote).
// Books of up to 60 accounts cover the native kernel's groups of four and its scalar tail.

import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { scanRange } from '../../engine/risk/account_risk.js'
import { riskColumns, type RiskColumns } from '../../engine/risk/risk_columns.js'
import { compiledListKernel, compiledScanKernel, scanKernel, type ListKernel, type ScanKernel } from '../../engine/risk/scan_kernel.js'
import { nativeListScan, nativeListScanOfCopies, nativeScan, nativeScanKind } from '../../engine/risk/native_scan.js'
import { sharedFloat64 } from '../../engine/shared_columns.js'
import { riskBook } from '../helpers/risk_book.js'

const tier = fc.record({
  capStep: fc.integer({ min: 1, max: 5_000_000 }),
  rate: fc.double({ min: 0, max: 0.5, noNaN: true }),
  amount: fc.integer({ min: -20_000, max: 200_000 }),
})
const instrument = fc.record({
  tiers: fc.array(tier, { minLength: 1, maxLength: 12 }),
  mark: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2_000_000 })),
  cashPerTickLot: fc.constantFrom(1, 0.01, 1e-5, 0.1),
  rateMax: fc.double({ min: 0, max: 0.5, noNaN: true }),
  jump: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1000 })),
})
const asset = fc.record({
  price: fc.integer({ min: 0, max: 1_000_000 }),
  cashPerTickUnit: fc.constantFrom(1e-6, 1e-3, 1),
  unit: fc.constantFrom(1e-8, 1e-5, 1),
  haircut: fc.double({ min: 0, max: 1, noNaN: true }),
  sizePremium: fc.oneof(fc.constant(0), fc.double({ min: 1e-4, max: 0.5, noNaN: true })),
})
const lots = fc.oneof(fc.constant(0), fc.integer({ min: -3000, max: 3000 }), fc.integer({ min: -5e9, max: 5e9 }))
const units = fc.oneof(fc.constant(0), fc.integer({ min: -1000, max: 1e6 }), fc.integer({ min: 0, max: 1e12 }))

/** A shared column holding `values` (as the store's columns are shared). */
function f64(values: number[]): Float64Array {
  const column = sharedFloat64(values.length)
  column.set(values)
  return column
}

/** Columns of a random venue and accounts; a few positions are put exactly on a tier cap. */
const bookOf = (minInstruments: number, maxInstruments: number) => fc.record({
  instruments: fc.array(instrument, { minLength: minInstruments, maxLength: maxInstruments }),
  assets: fc.array(asset, { minLength: 0, maxLength: 3 }),
  accounts: fc.integer({ min: 1, max: 60 }),
  seed: fc.nat(),
}).chain((shape) => fc.record({
  shape: fc.constant(shape),
  cash: fc.array(fc.integer({ min: -1e9, max: 1e10 }), { minLength: shape.accounts, maxLength: shape.accounts }),
  lots: fc.array(lots, { minLength: shape.accounts * shape.instruments.length, maxLength: shape.accounts * shape.instruments.length }),
  units: fc.array(units, { minLength: shape.accounts * (shape.assets.length + 1), maxLength: shape.accounts * (shape.assets.length + 1) }),
}))
const book = bookOf(1, 5)

type Book = ReturnType<typeof bookOf> extends fc.Arbitrary<infer T> ? T : never

function columnsOf(b: Book): RiskColumns {
  const { instruments, assets, accounts } = b.shape
  const maxNotional: number[] = []
  const tierOffset: number[] = []
  const tierCount: number[] = []
  const rate: number[] = []
  const amount: number[] = []
  for (const x of instruments) {
    tierOffset.push(maxNotional.length)
    tierCount.push(x.tiers.length)
    let cap = 0
    x.tiers.forEach((t, row) => {
      cap += t.capStep
      maxNotional.push(row === x.tiers.length - 1 ? Infinity : cap)
      rate.push(t.rate)
      amount.push(t.amount)
    })
  }
  const lotsColumn = f64(b.lots)
  // One account's position sits exactly on its instrument's first cap (the cap is set to its notional).
  instruments.forEach((x, i) => {
    const first = tierOffset[i]!
    const notional = Math.abs(lotsColumn[(i % accounts) * instruments.length + i]!) * x.mark * x.cashPerTickLot
    if (x.tiers.length > 1 && notional > 0 && notional < maxNotional[first + 1]!) maxNotional[first] = notional
  })
  const A = assets.length + 1
  const premiumAssets = assets.filter((x) => x.sizePremium !== 0).length
  return {
    instruments: instruments.length, assets: A,
    cash: f64(b.cash), collateralUnits: f64(b.units.map((u, k) => (k % A === 0 ? 0 : u))), positionLots: lotsColumn,
    markTicks: f64(instruments.map((x) => x.mark)), assetPriceTicks: f64([1, ...assets.map((x) => x.price)]),
    cashPerTickLot: f64(instruments.map((x) => x.cashPerTickLot)), cashPerTickUnit: f64([1, ...assets.map((x) => x.cashPerTickUnit)]),
    assetUnit: f64([1, ...assets.map((x) => x.unit)]), haircut: f64([0, ...assets.map((x) => x.haircut)]),
    sizePremium: f64([0, ...assets.map((x) => x.sizePremium)]),
    tierOffset: Int32Array.from(tierOffset), tierCount: Int32Array.from(tierCount), maxNotional: f64(maxNotional),
    maintenanceRate: f64(rate), maintenanceAmount: f64(amount),
    maintenanceRateMax: f64(instruments.map((x) => x.rateMax)), maintenanceJump: f64(instruments.map((x) => x.jump)),
    weightUnits: f64(new Array<number>(accounts * premiumAssets).fill(Number.NaN)), weight: f64(new Array<number>(accounts * premiumAssets).fill(0)),
  }
}

/** The reference, the compiled kernel and (where built) the native one over [from, to), with and without bands: the same bits. */
function expectSameScan(c: RiskColumns, from: number, to: number): void {
  const n = to - from
  const kernels: ScanKernel[] = [scanRange, compiledScanKernel(c), ...(nativeScan === null ? [] : [nativeScan])]
  for (const banded of [false, true]) {
    const out = kernels.map(() => ({ accounts: new Int32Array(n + 1), health: new Float64Array(n + 1), band: banded ? new Float64Array(n + 1) : null }))
    const counts = kernels.map((scan, k) => scan(c, from, to, out[k]!.accounts, out[k]!.health, 1, out[k]!.band, 1))
    for (let k = 1; k < kernels.length; k++) {
      expect(counts[k]).toBe(counts[0])
      expect(Array.from(out[k]!.accounts)).toEqual(Array.from(out[0]!.accounts))
      expect(new Uint8Array(out[k]!.health.buffer)).toEqual(new Uint8Array(out[0]!.health.buffer))
      if (banded) expect(new Uint8Array(out[k]!.band!.buffer)).toEqual(new Uint8Array(out[0]!.band!.buffer))
    }
  }
  expectSameListScan(c, from, to)
}

/**
 * The columns of `c` with cash, lots and units read from per-account copies, as a liquidation
 * index lays them out: account a's at stride·a (doubles) of one array, NaN in between (a read
 * off by one shows), and the stride.
 */
function copiesOf(c: RiskColumns): { copies: RiskColumns; stride: number } {
  const stride = 1 + c.instruments + c.assets + 3
  const accounts = c.cash.length
  const records = new Float64Array(accounts * stride).fill(Number.NaN)
  for (let a = 0; a < accounts; a++) {
    records[a * stride] = c.cash[a] as number
    for (let i = 0; i < c.instruments; i++) records[a * stride + 1 + i] = c.positionLots[a * c.instruments + i] as number
    for (let k = 0; k < c.assets; k++) records[a * stride + 1 + c.instruments + k] = c.collateralUnits[a * c.assets + k] as number
  }
  const view = (offset: number) => records.subarray(offset)
  return { copies: { ...c, cash: view(0), positionLots: view(1), collateralUnits: view(1 + c.instruments) }, stride }
}

/** The list kernel (the liquidation index's candidates) over [from, to) in a scrambled order: each account's results as the reference gives them. */
function expectSameListScan(c: RiskColumns, from: number, to: number): void {
  const n = Math.min(to - from, 2000) // the benchmark book: its first 2,000 accounts are plenty
  const list = Int32Array.from({ length: n }, (_, k) => from + ((k * 7 + 3) % n))
  if (new Set(list).size !== n) list.forEach((_, k) => { list[k] = from + k })
  const ofCopies = nativeListScanOfCopies
  const { copies, stride } = copiesOf(c)
  const overCopies: ListKernel[] = ofCopies === null ? [] : [(_, l, count, accounts, health, band) => ofCopies(copies, stride, l, count, accounts, health, band)]
  for (const kernel of [compiledListKernel(c), ...(nativeListScan === null ? [] : [nativeListScan]), ...overCopies]) {
    const accounts = new Int32Array(n)
    const health = new Float64Array(n)
    const band = new Float64Array(n)
    const count = kernel(c, list, n, accounts, health, band)
    const one = { accounts: new Int32Array(1), health: new Float64Array(1), band: new Float64Array(1) }
    let next = 0
    for (let k = 0; k < n; k++) {
      const a = list[k] as number
      const unhealthy = scanRange(c, a, a + 1, one.accounts, one.health, 0, one.band, 0) === 1
      expect(new Uint8Array(new Float64Array([band[k] as number]).buffer)).toEqual(new Uint8Array(one.band.buffer))
      if (!unhealthy) continue
      expect(accounts[next]).toBe(a)
      expect(new Uint8Array(new Float64Array([health[next] as number]).buffer)).toEqual(new Uint8Array(one.health.buffer))
      next++
    }
    expect(count).toBe(next)
  }
}

describe('compiled and native scan kernels', () => {
  it('has the native kernel here (built by npm ci; CASCADELAB_SCAN=js turns it off)', () => {
    // The suite's machines are x86-64 with AVX2 and a C++ toolchain; elsewhere the JavaScript kernel stands in.
    if (process.env.CASCADELAB_SCAN === 'js' || process.arch !== 'x64') return
    expect(nativeScanKind).toBe('native-avx2')
  })

  it('gives the reference loop\'s results bit for bit on random shapes and accounts, before and after units and prices change', () => {
    fc.assert(fc.property(book, (b) => {
      const c = columnsOf(b)
      const count = b.shape.accounts
      expectSameScan(c, 0, count)
      expectSameScan(c, Math.floor(count / 3), count) // a shard, as a worker scans it
      // Units change (the memo must recompute those weights), prices move, a mark goes to 0.
      for (let k = b.shape.seed % 5; k < c.collateralUnits.length; k += 5) if (k % c.assets !== 0) c.collateralUnits[k] = (c.collateralUnits[k] as number) * 2 + 7
      for (let k = 1; k < c.assets; k++) c.assetPriceTicks[k] = Math.floor((c.assetPriceTicks[k] as number) * 0.9)
      c.markTicks[0] = b.shape.seed % 2 === 0 ? 0 : Math.floor((c.markTicks[0] as number) * 1.3)
      expectSameScan(c, 0, count)
    }), { numRuns: 300, seed: 11 })
  })

  it('agree with the reference beyond the native kernel\'s vector limit of 32 instruments (its scalar loop)', () => {
    fc.assert(fc.property(bookOf(33, 36), (b) => {
      const c = columnsOf(b)
      expectSameScan(c, 0, b.shape.accounts)
      expectSameScan(c, Math.floor(b.shape.accounts / 2), b.shape.accounts)
    }), { numRuns: 15, seed: 3 })
  })

  it('native kernel refuses a range past its columns instead of reading beyond them', () => {
    if (nativeScan === null) return
    const c = columnsOf(fc.sample(book, { numRuns: 1, seed: 9 })[0]!)
    const count = c.cash.length
    const out = { accounts: new Int32Array(count + 8), health: new Float64Array(count + 8) }
    expect(() => nativeScan!(c, 0, count + 1, out.accounts, out.health, 0, null, 0)).toThrow(/native scan: columns shorter than the range/)
    expect(() => nativeScan!(c, 0, count, out.accounts.subarray(0, count - 1), out.health, 2, null, 0)).toThrow(/output arrays too short/)
    expect(() => nativeScan!(c, 0, count, out.accounts, out.health, 0, new Float64Array(count - 1), 0)).toThrow(/band column too short/)
    const band = new Float64Array(4)
    expect(() => nativeListScan!(c, Int32Array.from([0, count]), 2, out.accounts, out.health, band)).toThrow(/native scan: columns shorter than the range/)
    expect(() => nativeListScan!(c, Int32Array.from([0, -1]), 2, out.accounts, out.health, band)).toThrow(/negative account/)
    expect(() => nativeListScan!(c, Int32Array.from([0]), 2, out.accounts, out.health, band)).toThrow(/list shorter than the range/)
    // Over copies a stride apart, the last account's copy must fit too.
    const { copies, stride } = copiesOf(c)
    const short = { ...copies, collateralUnits: copies.collateralUnits.subarray(0, (count - 1) * stride + c.assets - 1) }
    expect(() => nativeListScanOfCopies!(short, stride, Int32Array.from([count - 1]), 1, out.accounts, out.health, band)).toThrow(/columns shorter than the range/)
    expect(nativeListScanOfCopies!(copies, stride, Int32Array.from([count - 1]), 1, out.accounts, out.health, band)).toBeGreaterThanOrEqual(0)
  })

  it('falls back to the reference loop for tier caps that do not increase (the branch-free row assumes they do)', () => {
    fc.assert(fc.property(book, (b) => {
      const c = columnsOf(b)
      const i = c.tierCount.findIndex((rows) => rows >= 3)
      if (i < 0) return
      const first = c.tierOffset[i] as number
      c.maxNotional[first + 1] = c.maxNotional[first] as number
      expect(scanKernel(c)).toBe(scanRange)
    }), { numRuns: 50, seed: 5 })
  })

  it('agrees on the benchmark book (binance-usdm tiers, a size-premium asset) and finds both healthy and unhealthy accounts', () => {
    const { store, model } = riskBook(20_000, 3)
    const c = riskColumns(store, model)
    expectSameScan(c, 0, store.count)
    const accounts = new Int32Array(store.count)
    const found = scanKernel(c)(c, 0, store.count, accounts, new Float64Array(store.count), 0, null, 0)
    expect(found).toBeGreaterThan(100)
    expect(found).toBeLessThan(store.count - 100)
  })
})
