// The full-scan kernel, compiled per venue shape. account_risk.ts's scanRange is the reference:
// one loop that reads the number of instruments, tier rows and assets from the columns at every
// account. At a million accounts those inner loops, the tier search's unpredictable branch (in a
// Binance-style table, which tier a position sits in is close to a coin flip) and the collateral
// size-premium square root cost more than the margin arithmetic itself (docs/BENCHMARKS.md). So
// for each shape — instruments, tier rows per instrument, assets, which assets have a size
// premium — this file generates a straight-line version of the same loop:
//
//   - instruments and assets unrolled, their prices and rates read once per scan into locals;
//   - the tier row picked without a branch for the first two boundaries,
//     row = first + (notional > cap₀) + (notional > cap₁), and by the reference's search only
//     beyond them (rare, predictable);
//   - the size-premium weight of an asset memoised per account (RiskColumns.weightUnits/weight):
//     it depends on the units held alone, so it is recomputed only when they changed.
//
// Every accumulator (equity, maintenance, exposure, jump, collateral) receives the same IEEE
// operations in the same order as scanRange, so the results are bit-identical (a fast-check test
// compares them on random shapes and books). The generated source is built from integers only
// (counts and flags), never from input text, and the same source is compiled in every worker.
//
// Where the native kernel is built (native_scan.ts: the same loop in C++, four accounts per AVX2
// instruction, ~3x faster again) scanKernel hands out that one instead; this one is the fallback
// and the reference the native one is tested against, with scanRange.

import { BAND_NONE, scanRange } from './account_risk.js'
import { nativeListScan, nativeScan } from './native_scan.js'
import type { RiskColumns } from './risk_columns.js'

/** A scan of accounts [from, to) with scanRange's contract (same arguments, same results). */
export type ScanKernel = typeof scanRange

/**
 * A scan of the accounts list[0…count) (a liquidation index's candidates, any order): appends the
 * unhealthy ones and their health to accounts[]/health[] from 0 in list order, writes the band of
 * list[k] to band[k], returns the number unhealthy. Same results as scanRange, account by account.
 */
export type ListKernel = (c: RiskColumns, list: Int32Array, count: number, accounts: Int32Array, health: Float64Array, band: Float64Array) => number

/** The shape a compiled kernel is specialised for. */
interface KernelShape {
  instruments: number
  assets: number
  /** Tier rows of each instrument. */
  tierRows: number[]
  /** Per instrument: a zero notional stays in the first row (caps ≥ 0) whose amount is ≥ 0, so it needs no special case. */
  firstAmountNonNegative: boolean[]
  /** Per asset (slot 0 unused): has a size premium, so its weight comes from the memo. */
  premium: boolean[]
}

const kernels = new Map<string, ScanKernel>()
const kernelOfColumns = new WeakMap<RiskColumns, ScanKernel>()
const listKernels = new Map<string, ListKernel>()
const listKernelOfColumns = new WeakMap<RiskColumns, ListKernel>()

/**
 * The kernel full scans of `c` use: the native one (native_scan.ts) where it is built, else the
 * compiled JavaScript one; scanRange itself for tier caps that do not increase (venue rules refuse
 * them; both fast kernels pick the first tier rows without a search, which assumes them).
 */
export function scanKernel(c: RiskColumns): ScanKernel {
  let kernel = kernelOfColumns.get(c)
  if (kernel === undefined) {
    kernel = nativeScan !== null && shapeOf(c) !== null ? nativeScan : compiledScanKernel(c)
    kernelOfColumns.set(c, kernel)
  }
  return kernel
}

/** The compiled JavaScript kernel for the shape of `c` (compiled on first use, then cached per shape); scanRange for non-increasing caps. */
export function compiledScanKernel(c: RiskColumns): ScanKernel {
  const shape = shapeOf(c)
  if (shape === null) return scanRange
  const key = JSON.stringify(shape)
  let kernel = kernels.get(key)
  if (kernel === undefined) {
    kernel = compile(shape)
    kernels.set(key, kernel)
  }
  return kernel
}

/** The list kernel a liquidation index uses for `c`: the native one where it is built (and the caps strictly increase), else compiledListKernel's. */
export function listKernel(c: RiskColumns): ListKernel {
  return nativeListScan !== null && scanKernel(c) === nativeScan ? nativeListScan : compiledListKernel(c)
}

/**
 * The compiled list kernel for the shape of `c` (compiled once per shape, looked up once per
 * columns: an index asks at every collect); scanRange account by account for non-increasing caps.
 */
export function compiledListKernel(c: RiskColumns): ListKernel {
  let kernel = listKernelOfColumns.get(c)
  if (kernel !== undefined) return kernel
  const shape = shapeOf(c)
  if (shape === null) {
    kernel = listByScanRange
  } else {
    const key = JSON.stringify(shape)
    kernel = listKernels.get(key)
    if (kernel === undefined) {
      const body = [...prologue(shape), 'let n = 0', 'for (let k = 0; k < count; k++) {', '  const a = list[k]', ...accountBody(shape, true, 'k'), '}', 'return n']
      kernel = make<ListKernel>(`function scanListCompiled(c, list, count, accounts, health, band) {\n${body.join('\n')}\n}`)
      listKernels.set(key, kernel)
    }
  }
  listKernelOfColumns.set(c, kernel)
  return kernel
}

/** The list contract over scanRange itself. */
const listByScanRange: ListKernel = (c, list, count, accounts, health, band) => {
  let n = 0
  for (let k = 0; k < count; k++) {
    const a = list[k] as number
    n += scanRange(c, a, a + 1, accounts, health, n, band, k)
  }
  return n
}

/** The shape of `c`, or null if some instrument's tier caps are not strictly increasing. */
function shapeOf(c: RiskColumns): KernelShape | null {
  const tierRows: number[] = []
  const firstAmountNonNegative: boolean[] = []
  for (let i = 0; i < c.instruments; i++) {
    tierRows.push(c.tierCount[i] as number)
    const first = c.tierOffset[i] as number
    const last = first + (c.tierCount[i] as number) - 1
    for (let row = first + 1; row < last; row++) if (!((c.maxNotional[row] as number) > (c.maxNotional[row - 1] as number))) return null
    const capsNonNegative = first === last || (c.maxNotional[first] as number) >= 0
    firstAmountNonNegative.push(capsNonNegative && (c.maintenanceAmount[first] as number) >= 0)
  }
  const premium: boolean[] = [false]
  for (let k = 1; k < c.assets; k++) premium.push((c.sizePremium[k] as number) !== 0)
  return { instruments: c.instruments, assets: c.assets, tierRows, firstAmountNonNegative, premium }
}

/** Tier row of `notional` from `row` on: the reference's search (RequirementTable.maintenance). */
function tierRow(maxNotional: Float64Array, notional: number, row: number, last: number): number {
  while (row < last && notional > (maxNotional[row] as number)) row++
  return row
}

/** Size-premium weight of `units` of asset k (collateral.ts's assetWeight for units > 0; the flat weight at 0). */
function premiumWeight(flat: number, premium: number, unit: number, units: number): number {
  return Math.min(1.1 / (1 + premium * Math.sqrt(units * unit)), flat)
}

/** Two loops per shape, without and with the band (the band's extra sums stay out of a plain scan). */
function compile(shape: KernelShape): ScanKernel {
  const plain = compileLoop(shape, false)
  const banded = compileLoop(shape, true)
  return (c, from, to, accounts, health, offset, band, bandBase) =>
    band === null ? plain(c, from, to, accounts, health, offset, null, 0) : banded(c, from, to, accounts, health, offset, band, bandBase)
}

function compileLoop(shape: KernelShape, withBand: boolean): ScanKernel {
  const body = [...prologue(shape), 'let n = offset', 'for (let a = from; a < to; a++) {', ...accountBody(shape, withBand, 'bandBase + a - from'), '}', 'return n - offset']
  return make<ScanKernel>(`function scanCompiled(c, from, to, accounts, health, offset, band, bandBase) {\n${body.join('\n')}\n}`)
}

/** Compiles a generated function with the helpers it may call in scope. */
function make<K>(source: string): K {
  const factory = new Function('tierRow', 'premiumWeight', 'BAND_NONE', `return ${source}`) as (...args: unknown[]) => K
  return factory(tierRow, premiumWeight, BAND_NONE)
}

/** Once per scan: columns and per-instrument / per-asset constants into locals. */
function prologue(s: KernelShape): string[] {
  const lines = [
    'const cash = c.cash, lots = c.positionLots, units = c.collateralUnits, memoUnits = c.weightUnits, memoWeight = c.weight',
    'const maxNotional = c.maxNotional, rate = c.maintenanceRate, amount = c.maintenanceAmount',
  ]
  for (let i = 0; i < s.instruments; i++) {
    const rows = s.tierRows[i] as number
    lines.push(`const mark${i} = c.markTicks[${i}], cpt${i} = c.cashPerTickLot[${i}], first${i} = c.tierOffset[${i}], last${i} = first${i} + ${rows - 1}`)
    if (rows > 1) lines.push(`const capA${i} = maxNotional[first${i}]`)
    if (rows > 2) lines.push(`const capB${i} = maxNotional[first${i} + 1]`)
    lines.push(`const rise${i} = 1 + c.maintenanceRateMax[${i}], jump${i} = mark${i} === 0 ? Infinity : c.maintenanceJump[${i}]`)
  }
  for (let k = 1; k < s.assets; k++) {
    lines.push(`const price${k} = c.assetPriceTicks[${k}], cpu${k} = c.cashPerTickUnit[${k}], flat${k} = 1 - c.haircut[${k}], premium${k} = c.sizePremium[${k}], unit${k} = c.assetUnit[${k}]`)
  }
  return lines
}

/** One account `a`, in scanRange's order of operations; its band goes to band[bandIndex]. */
function accountBody(s: KernelShape, withBand: boolean, bandIndex: string): string[] {
  const lines = [`  const base = a * ${s.instruments}`, `  let equity = cash[a], maintenance = 0${withBand ? ', exposure = 0, jump = 0' : ''}`]
  for (let i = 0; i < s.instruments; i++) {
    const rows = s.tierRows[i] as number
    lines.push(`  const lots${i} = lots[base + ${i}]`)
    lines.push(`  equity += lots${i} * mark${i} * cpt${i}`)
    lines.push(`  const notional${i} = Math.abs(lots${i}) * mark${i} * cpt${i}`)
    let row = `first${i}`
    if (rows > 1) row += ` + +(notional${i} > capA${i})`
    if (rows > 2) row += ` + +(notional${i} > capB${i})`
    lines.push(`  let row${i} = ${row}`)
    if (rows > 3) lines.push(`  if (notional${i} > capB${i}) row${i} = tierRow(maxNotional, notional${i}, row${i}, last${i})`)
    // notional 0 sits in the first row; with a non-negative amount there, max(0·rate − amount, 0) is already +0.
    const margin = `Math.max(notional${i} * rate[row${i}] - amount[row${i}], 0)`
    lines.push(`  maintenance += ${s.firstAmountNonNegative[i] === true ? margin : `notional${i} === 0 ? 0 : ${margin}`}`)
    if (withBand) lines.push(`  if (lots${i} !== 0) { exposure += notional${i} * rise${i}; jump += jump${i} }`)
  }
  if (s.assets > 1) {
    const premiumAssets = s.premium.filter((x) => x).length
    lines.push(`  const assetBase = a * ${s.assets}, memoBase = a * ${premiumAssets}`, '  let collateral = 0')
    let slot = 0
    for (let k = 1; k < s.assets; k++) {
      lines.push(`  const units${k} = Math.max(units[assetBase + ${k}], 0)`)
      if (s.premium[k] === true) {
        const memo = `memoBase + ${slot++}`
        lines.push(`  let weight${k} = memoWeight[${memo}]`)
        lines.push(`  if (memoUnits[${memo}] !== units${k}) {`)
        lines.push(`    weight${k} = premiumWeight(flat${k}, premium${k}, unit${k}, units${k})`)
        lines.push(`    memoUnits[${memo}] = units${k}; memoWeight[${memo}] = weight${k}`)
        lines.push('  }')
        lines.push(`  collateral += units${k} * price${k} * cpu${k} * weight${k}`)
      } else {
        lines.push(`  collateral += units${k} * price${k} * cpu${k} * flat${k}`)
      }
    }
    lines.push('  equity += collateral')
    if (withBand) lines.push('  exposure += collateral')
  }
  lines.push(
    '  const unhealthy = equity < maintenance',
    '  if (unhealthy) {',
    '    accounts[n] = a',
    '    health[n] = maintenance === 0 ? (equity < 0 ? -Infinity : Infinity) : equity / maintenance',
    '    n++',
    '  }',
  )
  if (withBand) {
    lines.push(
      '  const spare = equity - maintenance - jump - (1 + 1e-9 * (Math.abs(equity) + maintenance + exposure))',
      `  band[${bandIndex}] = unhealthy ? BAND_NONE : exposure === 0 && jump === 0 ? Infinity : spare <= 0 ? BAND_NONE : spare / exposure`,
    )
  }
  return lines
}
