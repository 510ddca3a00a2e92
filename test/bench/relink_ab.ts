// A/B of two builds of the native addon's re-banding loop in one process (docs/BENCHMARKS.md,
// "Prefetching in the re-banding loop"): usage `npx tsx test/bench/relink_ab.ts A.node B.node`
// (copies of build/Release/scan_kernel.node from two builds). Separate processes on the build VM
// fall into speed regimes ~25% apart, which hides 5–10% effects; here both builds take turns, in
// blocks of 100 oracle ticks, on one LiquidationIndex over the bench's 1M near-threshold book
// (both write the same slot records, so either may follow the other; the list scan stays the
// build/Release one). Prints each build's median tick (ms). Fails if the two find different accounts.

import { createRequire } from 'node:module'
import { LiquidationIndex } from '../../engine/risk/liquidation_index.js'
import { nativeRelink } from '../../engine/risk/native_scan.js'
import { SequentialRiskEvaluator } from '../../engine/risk/risk_evaluator.js'
import { nearThresholdBook } from '../helpers/risk_book.js'

type Relink = NonNullable<typeof nativeRelink>

const paths = process.argv.slice(2)
if (paths.length !== 2 || nativeRelink === null) {
  process.stderr.write('usage: npx tsx test/bench/relink_ab.ts A.node B.node (needs the addon built here)\n')
  process.exit(2)
}
const require = createRequire(import.meta.url)
const builds = paths.map((path) => (require(path) as { relink: Relink }).relink)
const ACCOUNTS = Number(process.env.CASCADELAB_BENCH_RISK_ACCOUNTS ?? 1_000_000)
const near = nearThresholdBook(ACCOUNTS, 2, 1000)
const index = new LiquidationIndex(near.store, near.model, new SequentialRiskEvaluator())
// The index's private re-banding function, swapped per block (a bench's reach, not an API).
const swappable = index as unknown as { nativeRelink: Relink | null }
const found: number[] = []
const noWatch = (): boolean => false
index.collect(found, noWatch)
const start = near.model.markTicks[0] as number
let down = false
const times: number[][] = [[], []]
const founds: number[][] = [[], []]
for (let block = 0; block < 60; block++) {
  const which = block % 2
  swappable.nativeRelink = builds[which] ?? null
  for (let k = 0; k < 100; k++) {
    down = !down
    near.model.markTicks[0] = down ? Math.round(start * 0.999) : start
    const t = performance.now()
    index.collect(found, noWatch)
    times[which]?.push(performance.now() - t)
    founds[which]?.push(found.length)
  }
}
if (founds[0]?.join() !== founds[1]?.join()) throw new Error('the two builds found different accounts')
const median = (x: number[]): string => [...x].sort((a, b) => a - b)[x.length >> 1]?.toFixed(4) ?? '-'
console.log(`A ${median(times[0] ?? [])} ms  B ${median(times[1] ?? [])} ms  (median oracle tick, ${ACCOUNTS} accounts, 3,000 ticks each)`)
