// The native addon (native/*.cc, built at install by native/build.mjs): the margin scan, four
// accounts per AVX2 instruction over the store's shared columns and bit-identical to scanRange,
// over a range (full scans) or a list (a liquidation index's candidates); and the index's
// re-banding loop. Loaded once per thread (worker threads load it too); absent when the machine
// could not build it or has no AVX2, in which case scan_kernel.ts compiles its JavaScript kernel
// and liquidation_index.ts re-bands in TypeScript. CASCADELAB_SCAN=js turns it off (to compare;
// results never change).

import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { premiumAssetCount } from './risk_columns.js'
import type { RiskColumns } from './risk_columns.js'
import type { ListKernel, ScanKernel } from './scan_kernel.js'

interface Addon {
  scan(...args: unknown[]): number
  relink: RelinkFunction
  /** False when the CPU lacks AVX2: the addon then runs a scalar loop, slower than the JavaScript kernel. */
  vectorized: boolean
}

/** The addon if it is built, loads and has AVX2 here, from the package root's build/ (this file runs from engine/risk/ under tsx, from dist/engine/risk/ when built). */
function loadAddon(): Addon | null {
  if (process.env.CASCADELAB_SCAN === 'js') return null
  for (const up of ['../../build/Release/scan_kernel.node', '../../../build/Release/scan_kernel.node']) {
    const path = fileURLToPath(new URL(up, import.meta.url))
    if (!existsSync(path)) continue
    try {
      const loaded = createRequire(import.meta.url)(path) as Addon
      // Without AVX2 its scalar loop is slower than the JavaScript kernel: not used.
      return loaded.vectorized ? loaded : null
    } catch {
      // A build that does not load here (another platform's, a damaged file): the JavaScript
      // kernel gives the same results; the suite's "has the native kernel" test notices.
      return null
    }
  }
  return null
}

const addon = loadAddon()

/** Which kernel full scans use in this process: 'native-avx2', or 'javascript' (not built, no AVX2, or CASCADELAB_SCAN=js). */
export const nativeScanKind: 'native-avx2' | 'javascript' = addon === null ? 'javascript' : 'native-avx2'

/**
 * The native scan (scanRange's contract), or null if it is unavailable here. Like the compiled
 * kernel it assumes tier caps that strictly increase; scanKernel checks that before handing it out.
 */
export const nativeScan: ScanKernel | null = addon === null ? null : bind(addon)

/**
 * The native list scan (ListKernel's contract: a liquidation index's candidates), or null if the
 * addon is unavailable here; the same per-account arithmetic as nativeScan.
 */
export const nativeListScan: ListKernel | null = addon === null ? null : bindList(addon)

/**
 * Calls the addon's scan: the columns, shape, range and outputs; `list` null for a range of
 * accounts; `accountStride` 0 for the store's columns, else the doubles between accounts in a
 * liquidation index's copies. (No argument array: an oracle tick calls it.)
 */
function callScan(scan: Addon['scan'], c: RiskColumns, from: number, to: number, accounts: Int32Array, health: Float64Array, offset: number, band: Float64Array | null, bandBase: number, list: Int32Array | null, accountStride: number): number {
  return scan(
    c.cash, c.positionLots, c.collateralUnits, c.markTicks, c.cashPerTickLot, c.tierOffset, c.tierCount, c.maxNotional,
    c.maintenanceRate, c.maintenanceAmount, c.maintenanceRateMax, c.maintenanceJump, c.assetPriceTicks, c.cashPerTickUnit,
    c.assetUnit, c.haircut, c.sizePremium, c.weightUnits, c.weight,
    c.instruments, c.assets, premiumAssetCount(c.sizePremium), from, to, accounts, health, offset, band, bandBase, list, accountStride,
  )
}

function bind(addon: Addon): ScanKernel {
  const scan = addon.scan
  return (c, from, to, accounts, health, offset, band, bandBase) => callScan(scan, c, from, to, accounts, health, offset, band, bandBase, null, 0)
}

function bindList(addon: Addon): ListKernel {
  const scan = addon.scan
  return (c, list, count, accounts, health, band) => callScan(scan, c, 0, count, accounts, health, 0, band, 0, list, 0)
}

/**
 * The native list scan over a liquidation index's copies of its accounts' inputs (ListKernel's
 * contract, and results, but for where it reads): `c`'s cash, positionLots and collateralUnits
 * are views in which account a's cash is cash[a·stride], its lots positionLots[a·stride + i] and
 * its units collateralUnits[a·stride + k] (stride in doubles). Null where the addon is unavailable.
 */
export const nativeListScanOfCopies: ((c: RiskColumns, stride: number, list: Int32Array, count: number, accounts: Int32Array, health: Float64Array, band: Float64Array) => number) | null =
  addon === null ? null : (c, stride, list, count, accounts, health, band) => callScan(addon.scan, c, 0, count, accounts, health, 0, band, 0, list, stride)

/**
 * The liquidation index's re-banding loop (native/liquidation_relink.cc; liquidation_index.ts
 * `relink` documents the arguments), or null where the addon is unavailable.
 */
export const nativeRelink: RelinkFunction | null = addon === null ? null : addon.relink

type RelinkFunction = (
  list: Int32Array, count: number, band: Float64Array, lots: Float64Array, units: Float64Array, columnStride: number, markTicks: Float64Array,
  assetPriceTicks: Float64Array, instruments: number, assets: number, stride: number, slotF: Float64Array, slotI: Int32Array, heads: Int32Array,
  width: Float64Array, maxKeyDown: Float64Array, minKeyUp: Float64Array, keys: number, bucketsPerPrice: number,
) => void
