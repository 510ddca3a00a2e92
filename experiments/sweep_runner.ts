// Runs a sweep (or one shard of it) into a directory:
//
//   OUT/sweep.json             the plan (written first; a different plan in OUT is refused)
//   OUT/runs/<id>/             journal.msgpack, timeseries.csv, summary.json (written last)
//   OUT/results.{csv,parquet}  the table, once every run of the sweep is done
//   OUT/results-shard-K-of-N.{csv,parquet}  with --shard: the table of that shard's runs
//
// Runs whose summary.json already carries the planned run key are skipped, so a killed sweep
// rerun with the same command picks up where it stopped and yields the same table.

import { makeOutputDirectory } from './output_directory.js'
import { UserError } from './errors.js'
import { writeFileAtomic } from './atomic_file.js'
import { PACKAGE_VERSION } from './package_info.js'
import { buildResultsTable, writeResults } from './results_table.js'
import { RunPool } from './run_pool.js'
import { inShard, type Shard } from './shard.js'
import { planSweep, type PlannedRun, type SweepPlan } from './sweep_plan.js'
import { createSweepProgress } from './sweep_progress.js'
import { finishedRun, manifestOf, readManifest, runDir, SWEEP_MANIFEST, type SweepRunSummary } from './sweep_record.js'
import { loadSweepFile } from './sweep_spec.js'
import { join } from 'node:path'

export interface SweepOptions {
  specFile: string
  outDir: string
  workers: number
  shard?: Shard
  quiet?: boolean
  /** Also write each run's Parquet tables into runs/<id>/tables (runs finished earlier are not redone). */
  tables?: boolean
  /** The command line, recorded in every run's summary. */
  command: string[]
}

export interface SweepOutcome {
  plan: SweepPlan
  /** Runs of this shard (all runs without --shard). */
  selected: number
  skipped: number
  ran: number
  wallMs: number
  table: { csv: string; parquet: string }
}

/** Plans, runs (resuming) and tabulates a sweep or one shard of it. */
export async function runSweep(options: SweepOptions): Promise<SweepOutcome> {
  const plan = planSweep(loadSweepFile(options.specFile), options.specFile)
  prepareDirectory(options.outDir, plan)
  const selected = plan.runs.filter((run) => !options.shard || inShard(run.index, options.shard))
  const todo = selected.filter((run) => finishedRun(options.outDir, run) === null)
  const label = `sweep ${plan.spec.name}${options.shard ? ` shard ${options.shard.k}/${options.shard.n}` : ''}`
  const progress = createSweepProgress(label, selected.length, selected.length - todo.length, options.quiet === true)
  const started = performance.now()
  const failures: string[] = []
  if (todo.length > 0) {
    const pool = new RunPool(Math.max(1, Math.min(options.workers, todo.length)))
    try {
      await Promise.all(todo.map((run) => pool.run(taskOf(plan, run, options)).then(
        () => progress.tick(),
        (error: unknown) => { failures.push(`${run.id}: ${(error as Error)?.message ?? String(error)}`) },
      )))
    } finally {
      progress.stop()
      await pool.close()
    }
  } else {
    progress.stop()
  }
  if (failures.length > 0) {
    throw new Error(`${failures.length} run(s) failed (finished runs are kept; rerun to retry): ${failures.sort().join('; ')}`)
  }
  const summaries = selected.map((run) => finishedRun(options.outDir, run) as SweepRunSummary)
  const basename = options.shard ? `results-shard-${options.shard.k}-of-${options.shard.n}` : 'results'
  const table = await writeResults(options.outDir, basename, buildResultsTable(plan.axes, summaries))
  return {
    plan, selected: selected.length, skipped: selected.length - todo.length, ran: todo.length,
    wallMs: performance.now() - started, table,
  }
}

/** Creates OUT and its manifest, refusing a directory that holds a different sweep. */
function prepareDirectory(outDir: string, plan: SweepPlan): void {
  const existing = readManifest(outDir)
  if (existing !== null && existing.planDigest !== plan.digest) {
    throw new UserError(
      `${join(outDir, SWEEP_MANIFEST)}: this directory holds sweep "${existing.name}" with a different plan ` +
      `(digest ${existing.planDigest.slice(0, 12)} ≠ ${plan.digest.slice(0, 12)}); use another --out or delete it`,
    )
  }
  makeOutputDirectory(join(outDir, 'runs'))
  if (existing === null) writeFileAtomic(join(outDir, SWEEP_MANIFEST), `${JSON.stringify(manifestOf(plan, PACKAGE_VERSION), null, 2)}\n`)
}

function taskOf(plan: SweepPlan, run: PlannedRun, options: SweepOptions) {
  return {
    scenario: plan.variants[run.variant]!, seed: run.seed, outDir: runDir(options.outDir, run.id), command: options.command,
    timeSeries: plan.spec.timeSeries, tables: options.tables === true,
    sweep: {
      sweep: plan.spec.name, planDigest: plan.digest, runId: run.id, index: run.index, variant: run.variant,
      params: run.params, patches: run.patches, runKey: run.runKey,
    },
  }
}
