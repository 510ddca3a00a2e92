// A/B of the liquidation index against another checkout's, in one process (docs/BENCHMARKS.md,
// "Copies beside the slot records"): usage `npx tsx test/bench/index_ab.ts ../base`, where
// ../base is a checkout of the commit to compare with, its addon built (e.g. `git worktree add
// ../base <rev> && ln -s "$PWD/node_modules" ../base/ && (cd ../base && node native/build.mjs)`).
// Separate processes on the build VM fall into speed regimes ~25% apart, which hides 5–10%
// effects; here both indexes (each with its own module graph and addon) take turns, in blocks of
// 100 oracle ticks, over the bench's 1M near-threshold book (each keeps its own records; the book
// does not change after setup, so their walks see the same prices). Prints each one's median
// tick (ms); fails if they find different accounts. `FIRST=base` builds the other's index first.

import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { LiquidationIndex } from '../../engine/risk/liquidation_index.js'
import { SequentialRiskEvaluator } from '../../engine/risk/risk_evaluator.js'
import { nearThresholdBook } from '../helpers/risk_book.js'

type Index = Pick<LiquidationIndex, 'collect'>
type IndexClass = new (...args: ConstructorParameters<typeof LiquidationIndex>) => Index

const base = process.argv[2]
if (base === undefined || process.argv.length !== 3) {
  process.stderr.write('usage: npx tsx test/bench/index_ab.ts <checkout with its addon built>\n')
  process.exit(2)
}
const other = (await import(pathToFileURL(resolve(base, 'engine/risk/liquidation_index.ts')).href) as { LiquidationIndex: IndexClass }).LiquidationIndex
const ACCOUNTS = Number(process.env.CASCADELAB_BENCH_RISK_ACCOUNTS ?? 1_000_000)
const near = nearThresholdBook(ACCOUNTS, 2, 1000)
const evaluator = new SequentialRiskEvaluator()
const found: number[] = []
const noWatch = (): boolean => false
const sides = process.env.FIRST === 'base' ? [{ name: 'base', make: other }, { name: 'this', make: LiquidationIndex }] : [{ name: 'this', make: LiquidationIndex }, { name: 'base', make: other }]
const indexes = sides.map(({ make }) => {
  // Each index starts from a rebuild: the change log lists every account again for the second.
  for (let a = 0; a < near.store.count; a++) near.store.markChanged(a)
  const index = new make(near.store, near.model, evaluator)
  index.collect(found, noWatch)
  return index
})
const start = near.model.markTicks[0] as number
let down = false
const times: number[][] = [[], []]
const founds: number[][] = [[], []]
for (let block = 0; block < 60; block++) {
  const which = block % 2
  const index = indexes[which] as Index
  for (let k = 0; k < 100; k++) {
    down = !down
    near.model.markTicks[0] = down ? Math.round(start * 0.999) : start
    const t = performance.now()
    index.collect(found, noWatch)
    times[which]?.push(performance.now() - t)
    founds[which]?.push(found.length)
  }
}
if (founds[0]?.join() !== founds[1]?.join()) throw new Error('the two indexes found different accounts')
const median = (x: number[]): string => [...x].sort((a, b) => a - b)[x.length >> 1]?.toFixed(4) ?? '-'
console.log(sides.map(({ name }, k) => `${name} ${median(times[k] ?? [])} ms`).join('  ') + `  (median oracle tick, ${ACCOUNTS} accounts, 3,000 ticks each)`)
