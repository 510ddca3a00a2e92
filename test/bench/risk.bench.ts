// Risk evaluation at venue scale: 1M cross accounts × 4 positions (binance-usdm tiers, BTC/ETH
// collateral with a size-premium haircut; test/helpers/risk_book.ts).
//  1. Full margin scan, sequential, against the baseline of reading the same columns with no
//     margin math (the memory floor): accounts/s and bytes scanned/s (80 B per account: cash,
//     4 positions, 3 collateral slots, and the size-premium weight memo's two slots for BTC).
//     Target ≤ 15 ms per scan (≥ 66.7M accounts/s). The sequential evaluator runs whichever
//     kernel this machine has (native AVX2 where built, else compiled JavaScript; printed); a
//     second group times the native kernel against the compiled JavaScript one directly.
//  2. Pool of 2 workers against the sequential scan, at 1M accounts (target ≥ 1.6x) and at
//     smaller sizes: the crossover (where the ratio passes 1) sets RISK_POOL_CROSSOVER_ACCOUNTS.
//  3. An oracle tick where 0.1% of accounts sit near their threshold: the liquidation index's
//     collect() against a full scan (baseline). Target: ≤ 1% of a full scan (≥ 100x).
// Every bench checks its result (counts against the sequential scan) so none measures nothing.

import { afterAll, bench, describe, expect } from 'vitest'
import { LiquidationIndex } from '../../engine/risk/liquidation_index.js'
import { PooledRiskEvaluator } from '../../engine/risk/pooled_risk_evaluator.js'
import { nativeScan, nativeScanKind } from '../../engine/risk/native_scan.js'
import { riskColumns } from '../../engine/risk/risk_columns.js'
import { SequentialRiskEvaluator } from '../../engine/risk/risk_evaluator.js'
import { compiledScanKernel } from '../../engine/risk/scan_kernel.js'
import { nearThresholdBook, riskBook } from '../helpers/risk_book.js'

const ACCOUNTS = Number(process.env.CASCADELAB_BENCH_RISK_ACCOUNTS ?? 1_000_000)
const BYTES_PER_ACCOUNT = 8 + 4 * 8 + 3 * 8 + 2 * 8
const { store, model } = riskBook(ACCOUNTS, 1, 4, 60)
const columns = riskColumns(store, model)
const sequential = new SequentialRiskEvaluator()
const pool = await PooledRiskEvaluator.start(2)
afterAll(() => pool.close())
const expected = sequential.evaluate(columns, ACCOUNTS, null).count
expect(expected).toBeGreaterThan(0)

/** The memory floor: reads every column a scan reads, no margin math. */
function readColumns(): number {
  let sum = 0
  const cash = store.cash
  const lots = store.positionLots
  const units = store.collateralUnits
  const weight = columns.weight
  const weightUnits = columns.weightUnits
  for (let a = 0; a < ACCOUNTS; a++) {
    sum += (cash[a] as number) + (lots[4 * a] as number) + (lots[4 * a + 1] as number) + (lots[4 * a + 2] as number) + (lots[4 * a + 3] as number)
    sum += (units[3 * a] as number) + (units[3 * a + 1] as number) + (units[3 * a + 2] as number) + (weight[a] as number) + (weightUnits[a] as number)
  }
  return sum
}

describe(`full margin scan (${nativeScanKind} kernel), ${ACCOUNTS} accounts × 4 positions [ops=${ACCOUNTS}] [bytes=${ACCOUNTS * BYTES_PER_ACCOUNT}]`, () => {
  bench('sequential full scan', () => {
    if (sequential.evaluate(columns, ACCOUNTS, null).count !== expected) throw new Error('sequential scan count changed')
  }, { time: 3000, warmupIterations: 2 })
  bench('baseline: read the same columns, no margin math', () => {
    if (Number.isNaN(readColumns())) throw new Error('NaN')
  }, { time: 3000, warmupIterations: 2 })
})

if (nativeScan !== null) {
  const native = nativeScan
  const compiled = compiledScanKernel(columns)
  const accounts = new Int32Array(ACCOUNTS)
  const health = new Float64Array(ACCOUNTS)
  describe(`native kernel vs compiled JavaScript kernel, ${ACCOUNTS} accounts [ops=${ACCOUNTS}] [bytes=${ACCOUNTS * BYTES_PER_ACCOUNT}]`, () => {
    bench('native kernel (AVX2)', () => {
      if (native(columns, 0, ACCOUNTS, accounts, health, 0, null, 0) !== expected) throw new Error('native scan count differs')
    }, { time: 3000, warmupIterations: 2 })
    bench('baseline: compiled JavaScript kernel', () => {
      if (compiled(columns, 0, ACCOUNTS, accounts, health, 0, null, 0) !== expected) throw new Error('compiled scan count differs')
    }, { time: 3000, warmupIterations: 2 })
  })
}

describe(`2 workers vs sequential, ${ACCOUNTS} accounts [ops=${ACCOUNTS}]`, () => {
  bench('pooled full scan, 2 workers', () => {
    if (pool.evaluate(columns, ACCOUNTS, null).count !== expected) throw new Error('pooled scan count differs from sequential')
  }, { time: 3000, warmupIterations: 2 })
  bench('baseline: sequential scan', () => {
    if (sequential.evaluate(columns, ACCOUNTS, null).count !== expected) throw new Error('sequential scan count changed')
  }, { time: 3000, warmupIterations: 2 })
})

for (const size of [10_000, 30_000, 100_000, 300_000].filter((n) => n < ACCOUNTS)) {
  const count = sequential.evaluate(columns, size, null).count
  describe(`crossover: 2 workers vs sequential, ${size} accounts [ops=${size}]`, () => {
    bench(`pooled full scan, 2 workers, ${size}`, () => {
      if (pool.evaluate(columns, size, null).count !== count) throw new Error('pooled scan count differs')
    }, { time: 1000 })
    bench(`baseline: sequential scan, ${size}`, () => {
      if (sequential.evaluate(columns, size, null).count !== count) throw new Error('sequential scan count changed')
    }, { time: 1000 })
  })
}

// The tick: instrument 0's mark moves 0.1% down, then back up, and so on; near accounts long
// in it are crossed on the way down, the short ones on the way up.
const near = nearThresholdBook(ACCOUNTS, 2, 1000)
const nearColumns = riskColumns(near.store, near.model)
const index = new LiquidationIndex(near.store, near.model, sequential)
const found: number[] = []
const noWatch = () => false
index.collect(found, noWatch)
const start = near.model.markTicks[0] as number
let down = false
let evaluatedMax = 0
function tick(): void {
  down = !down
  near.model.markTicks[0] = down ? Math.round(start * 0.999) : start
  index.collect(found, noWatch)
  if (index.evaluated > evaluatedMax) evaluatedMax = index.evaluated
  if (index.evaluated > ACCOUNTS / 100) throw new Error(`a tick looked at ${index.evaluated} accounts`)
}
tick()
const crossed = sequential.evaluate(nearColumns, ACCOUNTS, null).count
if (found.length !== crossed) throw new Error(`index found ${found.length}, full scan ${crossed}`)

describe(`oracle tick, 0.1% of ${ACCOUNTS} accounts near threshold [ops=1]`, () => {
  bench('index collect after an oracle tick', tick, { time: 2000 })
  bench('baseline: full scan after an oracle tick', () => {
    down = !down
    near.model.markTicks[0] = down ? Math.round(start * 0.999) : start
    sequential.evaluate(nearColumns, ACCOUNTS, null)
  }, { time: 2000 })
})
