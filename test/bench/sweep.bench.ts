// Sweep throughput: the same sweep of small runs (1,000 accounts, 1 simulated hour each) on 2
// workers against 1 worker (the baseline), each run a whole simulation on a Piscina thread with
// its journal, time series and summary, then the results table. `npm run bench` prints runs/s
// and the 2-worker ratio, whose target is ≥ 1.7x. Each iteration builds its own pool and output
// directory; directories are removed outside the timed part. CASCADELAB_BENCH_SWEEP_RUNS
// shrinks the sweep for a quick look (the target is stated for 200 runs). Outputs go to
// .bench/sweep-scratch/ (git-ignored), emptied at the start of every bench run.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { bench, describe, expect } from 'vitest'
import { runSweep } from '../../experiments/sweep_runner.js'

const RUNS = Number(process.env.CASCADELAB_BENCH_SWEEP_RUNS ?? 200)
const scratch = join(import.meta.dirname, '..', '..', '.bench', 'sweep-scratch')
rmSync(scratch, { recursive: true, force: true })
mkdirSync(scratch, { recursive: true })
const sweepFile = join(scratch, 'bench-sweep.yaml')
writeFileSync(sweepFile, `
name: bench-sweep
base: default
set:
  durationMs: 3600000
  population.pairs: 500
  marketMakers.count: 2
  noiseTraders.count: 5
axes:
  - { path: price.shocks.0.drop, values: [0.04, 0.06, 0.08, 0.1] }
seeds: { count: ${Math.ceil(RUNS / 4)}, start: 1 }
`)

// vitest does not pass per-iteration hooks to tinybench, and tinybench calls each function once
// untimed to learn whether it is async. That first call per worker count returns at once, so it
// neither costs a whole sweep nor is measured; each timed call removes the previous output
// directory before its own work starts (a few hundred ms of unlinking next to a minute of runs).
const calls = new Map<number, number>()
const tables: string[] = []
let previous = ''

async function sweep(workers: number): Promise<void> {
  const call = (calls.get(workers) ?? 0) + 1
  calls.set(workers, call)
  if (call === 1) return
  if (previous) rmSync(previous, { recursive: true, force: true })
  const outDir = mkdtempSync(join(scratch, `w${workers}-`))
  previous = outDir
  const outcome = await runSweep({ specFile: sweepFile, outDir, workers, quiet: true, command: ['bench'] })
  expect(outcome.ran).toBe(Math.ceil(RUNS / 4) * 4)
  tables.push(readFileSync(join(outDir, 'results.csv'), 'utf8'))
  // Every iteration, on any number of workers, must produce the same table.
  expect(tables.every((table) => table === tables[0])).toBe(true)
}

const options = { time: 0, iterations: 3, warmupIterations: 0 }

describe(`sweep of small runs: 1k accounts, 1 simulated hour [runs=${Math.ceil(RUNS / 4) * 4}]`, () => {
  bench('sweep on 2 workers', async () => {
    await sweep(2)
  }, options)

  bench('baseline: sweep on 1 worker', async () => {
    await sweep(1)
  }, options)
})
