// Runs one scenario end to end: loads its agent modules, builds the world, runs the loop while journaling every event
// and computing the summary, metrics and time series live (analysis/run_analysis.ts: the same
// fold `inspect`, `report` and `export` run over the journal), then writes
// timeseries.csv, with `tables` the Parquet tables of `cascadelab export`, and, last, summary.json. Outputs appear only when complete (journal renamed
// from .partial, the others written atomically); summary.json is written last, so its presence
// marks a finished run (sweeps resume on it). A failed run removes its partial journal and
// leaves earlier outputs in place.

import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { makeOutputDirectory } from './output_directory.js'
import { join } from 'node:path'
import { availableParallelism } from 'node:os'
import { performance } from 'node:perf_hooks'
import { InvariantMonitor } from '../engine/invariants.js'
import { JOURNAL_FORMAT_VERSION, type JournalHeader } from '../engine/journal/journal_format.js'
import { JournalSink } from '../engine/journal/journal_sink.js'
import { Simulation, type EventSink } from '../engine/simulation.js'
import { PooledRiskEvaluator } from '../engine/risk/pooled_risk_evaluator.js'
import { riskThreadsFor } from '../engine/risk/risk_evaluator.js'
import { quoteOf, type RunSummary } from '../analysis/run_summary.js'
import { LiveEventStream } from '../analysis/event_stream.js'
import type { RunMetrics } from '../analysis/metrics.js'
import { analyseRun, collect } from '../analysis/run_analysis.js'
import { seriesCsv } from './series_csv.js'
import { exportTables } from './table_export.js'
import { writeFileAtomic } from './atomic_file.js'
import { PACKAGE_VERSION } from './package_info.js'
import type { Scenario } from './scenario.js'
import { buildWorld, type PopulationStartHealth, type World } from './world.js'
import { loadAgentModules } from './agent_modules.js'

export interface RunOptions {
  outDir: string
  /** Overrides the scenario's seed. */
  seed?: number
  /** Check invariants after every event (slow: O(accounts) per event). */
  check?: boolean
  /** Receives simulated progress in [0, 1]. */
  onProgress?: (fraction: number) => void
  /** The command line that asked for this run (recorded for reproduction). */
  command?: string[]
  /** Extra record stored in summary.json under `sweep` (a sweep's run id, parameters, patches). */
  sweep?: unknown
  /** Write timeseries.csv (default true). */
  timeSeries?: boolean
  /** Also write the per-run Parquet tables into `outDir`/tables (`cascadelab export`; default false). */
  tables?: boolean
  /** Threads for full margin scans (1: sequential); default: by account count (engine/risk/risk_evaluator.ts). Never changes results. */
  threads?: number
}

export interface RunReport extends RunSummary {
  scenario: string
  seed: number
  packageVersion: string
  command: string[] | null
  /** Modelling choices allowed only by an explicit flag (e.g. price.allowPriceManipulation), one line each. */
  warnings?: string[]
  /** The metrics catalog (analysis/metrics.ts) read from this same summary. */
  metrics: RunMetrics
  /** Per population: accounts clamped to start healthy, or (allowUnhealthyStart) counted below maintenance at start. */
  populationStart: PopulationStartHealth[]
  /** Accounts below zero equity when the run ended (gap risk not yet reached: a delayed step or an auction still due), and their Σ −equity (quote currency). */
  underwaterAtEnd: { accounts: number; deficit: number }
  sweep?: unknown
  journal: { file: string; bytes: number; sha256: string; finalStateDigest: string }
  run: { inputs: number; wallMs: number; eventsPerSecond: number; invariantChecks: number; riskThreads: number; fullScans: number; accountsLookedAt: number }
}

/** Runs `scenario` and writes journal.msgpack and summary.json into `options.outDir`. */
export async function runScenario(scenario: Scenario, options: RunOptions): Promise<RunReport> {
  const seed = options.seed ?? scenario.seed
  const resolved: Scenario = { ...scenario, seed }
  makeOutputDirectory(options.outDir)
  const world = buildWorld(resolved, seed, await loadAgentModules(resolved))
  const header: JournalHeader = {
    kind: 'Header', format: 'cascadelab-journal', formatVersion: JOURNAL_FORMAT_VERSION, packageVersion: PACKAGE_VERSION,
    seed, checkpointEvery: scenario.checkpointEvery, venue: world.venueConfig, scenario: resolved,
  }
  const journalPath = join(options.outDir, 'journal.msgpack')
  const journal = new JournalSink(journalPath, header)
  const monitor = options.check ? new InvariantMonitor(world.venue, true) : null
  const live = new LiveEventStream()
  const writeSeries = options.timeSeries ?? true
  const analysis = collect(live.events.pipe(analyseRun(world.venueConfig, { series: writeSeries })))
  const sinks: EventSink[] = [journal, live]
  if (monitor) sinks.push(monitor)
  const simulation = new Simulation(world.venue, world.drivers, {
    endMs: scenario.durationMs, checkpointEvery: scenario.checkpointEvery, sinks,
    onProgress: options.onProgress ? (now) => options.onProgress!(now / scenario.durationMs) : undefined,
    progressEvery: 2000,
  })
  const riskThreads = riskThreadsFor(world.accountCount, options.threads, availableParallelism())
  const started = performance.now()
  let result
  try {
    const pool = riskThreads > 1 ? await PooledRiskEvaluator.start(riskThreads) : null
    if (pool) world.venue.useRiskEvaluator(pool)
    try {
      result = simulation.run()
    } finally {
      await pool?.close()
    }
  } catch (error) {
    journal.abort()
    throw error
  }
  const wallMs = performance.now() - started
  const bytes = journal.finish(result.digest)
  live.complete()
  const { summary, metrics, series } = analysis()
  if (series) writeFileAtomic(join(options.outDir, 'timeseries.csv'), seriesCsv(series))
  if (options.tables) await exportTables(journalPath, join(options.outDir, 'tables'))
  options.onProgress?.(1)
  const report: RunReport = {
    scenario: scenario.name, seed, packageVersion: PACKAGE_VERSION, command: options.command ?? null,
    ...summary,
    ...(world.warnings.length === 0 ? {} : { warnings: world.warnings }),
    metrics,
    populationStart: world.startHealth,
    underwaterAtEnd: underwaterAtEnd(world.venue),
    ...(options.sweep === undefined ? {} : { sweep: options.sweep }),
    journal: { file: 'journal.msgpack', bytes, sha256: await sha256File(journalPath), finalStateDigest: result.digest },
    run: {
      inputs: result.inputs, wallMs: Math.round(wallMs),
      eventsPerSecond: Math.round(result.events / (wallMs / 1000)), invariantChecks: monitor?.checked ?? 0, riskThreads,
      fullScans: world.venue.liquidation.index.rebuilds, accountsLookedAt: world.venue.liquidation.index.looked,
    },
  }
  writeFileAtomic(join(options.outDir, 'summary.json'), `${JSON.stringify(report, null, 2)}\n`)
  return report
}


/** Accounts (the fund included) below zero equity in the final state, and their Σ −equity in the quote currency. */
function underwaterAtEnd(venue: World['venue']): { accounts: number; deficit: number } {
  let accounts = 0
  let deficit = 0
  for (let a = 0; a < venue.accounts.count; a++) {
    const equity = venue.margin.equity(venue.accounts, a)
    if (!(equity < 0)) continue
    accounts++
    deficit -= equity
  }
  return { accounts, deficit: quoteOf(venue.config)(deficit) }
}

/** Hex sha-256 of a file's bytes. */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256')
    createReadStream(path).on('data', (chunk) => hash.update(chunk)).on('error', reject).on('end', () => resolve(hash.digest('hex')))
  })
}
