// A Piscina worker: runs one simulation of a sweep per task, into the run's own directory.
// runScenario commits the run by writing summary.json last (temp file + rename), so a run is
// either finished on disk or will be redone; the main thread learns only that it finished.

import { runScenario } from './run_scenario.js'
import type { Scenario } from './scenario.js'
import type { SweepRunRecord } from './sweep_record.js'

export interface SweepTask {
  scenario: Scenario
  seed: number
  outDir: string
  command: string[]
  /** Absent when re-running a report's run (`cascadelab reproduce`). */
  sweep?: SweepRunRecord
  timeSeries: boolean
  /** Write the run's Parquet tables (`sweep --tables`). */
  tables?: boolean
}

export interface SweepTaskResult { events: number; wallMs: number; journalSha256: string; finalStateDigest: string }

/** Runs one task (the worker's entry point). */
export default async function runSweepTask(task: SweepTask): Promise<SweepTaskResult> {
  const report = await runScenario(task.scenario, {
    outDir: task.outDir, seed: task.seed, command: task.command, sweep: task.sweep, timeSeries: task.timeSeries, tables: task.tables === true,
  })
  return { events: report.events, wallMs: report.run.wallMs, journalSha256: report.journal.sha256, finalStateDigest: report.journal.finalStateDigest }
}
