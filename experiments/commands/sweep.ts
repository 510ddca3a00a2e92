// `cascadelab sweep`: runs every variant × seed of a sweep file on a worker pool, resumably,
// optionally one shard of it; writes the results table as CSV and Parquet.

import { availableParallelism } from 'node:os'
import { defaultOutputDirectory } from '../output_directory.js'
import type { Command } from 'commander'
import { parseWorkers } from '../integer_option.js'
import { parseShard, type Shard } from '../shard.js'
import { runSweep } from '../sweep_runner.js'
import { loadSweepFile } from '../sweep_spec.js'

const EXAMPLE = `
Sweep file (YAML or JSON; see docs/SWEEPS.md):
  name: fund-vs-depth
  base: thin-book-flash-crash          # named scenario or scenario file
  set: { durationMs: 600000 }          # fixed values by field path
  design: grid                         # grid | random | latin-hypercube (with samples: N)
  axes:
    - { path: venue.insuranceFund, values: [0, 100000, 250000] }
    - { path: marketMakers.lotsPerLevel, min: 20, max: 200, steps: 4, integer: true }
  seeds: { count: 5, start: 1 }

Examples:
  cascadelab sweep fund-vs-depth.yaml --workers 2
  cascadelab sweep fund-vs-depth.yaml --shard 3/8 --out /shared/sweeps/fund-vs-depth
  cascadelab merge /shared/sweeps/fund-vs-depth`

/** Registers `sweep` on the program. */
export function registerSweep(program: Command): void {
  program
    .command('sweep')
    .description('run a sweep (base scenario + axes + seeds) on a worker pool; resumes after a crash; writes results.csv and results.parquet')
    .argument('<sweep-file>', 'sweep file (.yaml/.json)')
    .option('--out <dir>', 'output directory (default: sweeps/<name>)')
    .option('--workers <n>', `worker threads, one simulation each (default: ${availableParallelism()}, the cores here)`, parseWorkers)
    .option('--shard <k/n>', 'run only shard k of n (runs with plan index mod n = k-1); combine with `cascadelab merge`', parseShard)
    .option('--quiet', 'no progress output')
    .option('--tables', 'also write each run\'s Parquet tables (events, liquidations, accounts, timeseries: `cascadelab export --help`) into runs/<id>/tables; runs finished earlier are not redone')
    .addHelpText('after', EXAMPLE)
    .action(async (file: string, opts: { out?: string; workers?: number; shard?: Shard; quiet?: boolean; tables?: boolean }) => {
      const outDir = opts.out ?? defaultOutputDirectory('sweeps', loadSweepFile(file).name)
      const outcome = await runSweep({
        specFile: file, outDir, workers: opts.workers ?? availableParallelism(), shard: opts.shard, quiet: opts.quiet === true, tables: opts.tables === true,
        command: ['cascadelab', ...process.argv.slice(2)],
      })
      const rate = outcome.ran > 0 ? ` in ${(outcome.wallMs / 1000).toFixed(1)} s (${(outcome.ran / (outcome.wallMs / 1000)).toFixed(2)} runs/s)` : ''
      process.stdout.write(
        `sweep ${outcome.plan.spec.name}${opts.shard ? ` shard ${opts.shard.k}/${opts.shard.n}` : ''}: ` +
        `${outcome.selected} runs (${outcome.ran} run now${rate}, ${outcome.skipped} already finished)\n` +
        `  wrote ${outcome.table.csv}, ${outcome.table.parquet}\n`,
      )
    })
}
