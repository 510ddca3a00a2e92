// `cascadelab reproduce`: reads the provenance embedded in a report, re-runs every run it lists
// (the scenario, or the sweep's base scenario plus the run's immer patches, with the run's
// seed) on a worker pool into a scratch directory, and compares each journal's sha-256 and
// final state digest with the recorded ones.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { applyPatches, enablePatches, type Patch } from 'immer'
import { extractProvenance } from '../analysis/report/html.js'
import { REPORT_FORMAT_VERSION, type ReportProvenance, type ReportRun } from '../analysis/report/provenance.js'
import { UserError } from './errors.js'
import { PACKAGE_VERSION } from './package_info.js'
import { RunPool } from './run_pool.js'
import { parseScenario, type Scenario } from './scenario.js'

enablePatches()

export interface RunCheck { id: string; seed: number; journalMatches: boolean; stateMatches: boolean; journalSha256: string; finalStateDigest: string }
export interface ReproduceOutcome { provenance: ReportProvenance; checks: RunCheck[]; total: number }

/** Reads `reportFile`'s provenance (a UserError if it has none). */
export function readProvenance(reportFile: string): ReportProvenance {
  let html: string
  try {
    html = readFileSync(reportFile, 'utf8')
  } catch (error) {
    throw new UserError(`${reportFile}: cannot read report (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
  }
  let provenance: ReportProvenance | null
  try {
    provenance = extractProvenance(html) as ReportProvenance | null
  } catch (error) {
    throw new UserError(`${reportFile}: embedded provenance is not valid JSON (${(error as Error).message})`)
  }
  if (provenance === null || provenance.format !== 'cascadelab-report') throw new UserError(`${reportFile}: not a cascadelab report (no embedded provenance)`)
  if (provenance.formatVersion !== REPORT_FORMAT_VERSION) throw new UserError(`${reportFile}: report format version ${provenance.formatVersion} is not supported`)
  return provenance
}

/** Re-runs up to `limit` runs of the report on `workers` threads and compares digests. */
export async function reproduceReport(reportFile: string, options: { workers: number; limit?: number; onCheck?: (check: RunCheck) => void }): Promise<ReproduceOutcome> {
  const provenance = readProvenance(reportFile)
  const runs = provenance.runs.slice(0, options.limit ?? provenance.runs.length)
  const scenarios = runs.map((run) => scenarioOf(provenance, run, reportFile))
  const scratch = mkdtempSync(join(tmpdir(), 'cascadelab-reproduce-'))
  const pool = new RunPool(Math.max(1, Math.min(options.workers, runs.length)))
  try {
    const checks = await Promise.all(runs.map(async (run, k) => {
      const result = await pool.run({ scenario: scenarios[k]!, seed: run.seed, outDir: join(scratch, String(k)), command: [], timeSeries: false })
      const check: RunCheck = {
        id: run.id, seed: run.seed, journalMatches: result.journalSha256 === run.journalSha256,
        stateMatches: result.finalStateDigest === run.finalStateDigest, journalSha256: result.journalSha256, finalStateDigest: result.finalStateDigest,
      }
      rmSync(join(scratch, String(k)), { recursive: true, force: true })
      options.onCheck?.(check)
      return check
    }))
    return { provenance, checks, total: provenance.runs.length }
  } finally {
    await pool.close()
    rmSync(scratch, { recursive: true, force: true })
  }
}

function scenarioOf(provenance: ReportProvenance, run: ReportRun, reportFile: string): Scenario {
  const source = `${reportFile}: run ${run.id}`
  if (provenance.kind === 'run') return parseScenario(run.scenario, source)
  if (!provenance.sweep) throw new UserError(`${source}: sweep report without a base scenario`)
  return parseScenario(applyPatches(provenance.sweep.base as object, (run.patches ?? []) as Patch[]), source)
}

/** The package version a report was made with, if it differs from this one (journal bytes embed it). */
export function versionMismatch(provenance: ReportProvenance): string | null {
  return provenance.packageVersion === PACKAGE_VERSION ? null : provenance.packageVersion
}
