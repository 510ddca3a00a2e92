// `cascadelab report`: turns a run directory (summary.json + journal) or a sweep directory
// (sweep.json + runs/) into one self-contained HTML file. A run's charts are recomputed from
// its journal by the same rxjs operators that produced summary.json, and the journal's sha-256
// is checked against the summary before it is embedded.

import { existsSync, readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { firstValueFrom } from 'rxjs'
import { journalEvents } from '../analysis/event_stream.js'
import { analyseRun } from '../analysis/run_analysis.js'
import type { ReportProvenance } from '../analysis/report/provenance.js'
import { REPORT_FORMAT_VERSION } from '../analysis/report/provenance.js'
import { runReportHtml } from '../analysis/report/run_report.js'
import { sweepReportHtml } from '../analysis/report/sweep_report.js'
import { writeFileAtomic } from './atomic_file.js'
import { UserError } from './errors.js'
import { openJournal } from './journal_file.js'
import { sha256File, type RunReport } from './run_scenario.js'
import { finishedRun, readManifest } from './sweep_record.js'

export interface ReportOutcome { file: string; kind: 'run' | 'sweep'; runs: number; missing: number }

/** Writes the report of run or sweep directory `dir` to `outFile` (default `dir`/report.html). */
export async function writeReport(dir: string, outFile: string | undefined, reportCommand: string[]): Promise<ReportOutcome> {
  const file = outFile ?? join(dir, 'report.html')
  if (readManifest(dir) !== null) return writeSweepReport(dir, file, reportCommand)
  if (existsSync(join(dir, 'summary.json'))) return writeRunReport(dir, file, reportCommand)
  throw new UserError(`${dir}: neither a run directory (summary.json) nor a sweep directory (sweep.json)`)
}

async function writeRunReport(dir: string, file: string, reportCommand: string[]): Promise<ReportOutcome> {
  const summaryFile = join(dir, 'summary.json')
  let summary: RunReport
  try {
    summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as RunReport
  } catch (error) {
    throw new UserError(`${summaryFile}: not a valid run summary (${(error as Error).message})`)
  }
  const journalFile = join(dir, summary.journal?.file ?? 'journal.msgpack')
  const reader = openJournal(journalFile)
  const sha256 = await sha256File(journalFile)
  if (sha256 !== summary.journal.sha256) {
    throw new UserError(`${journalFile}: sha-256 ${sha256.slice(0, 12)}… differs from the ${summaryFile} record ${summary.journal.sha256.slice(0, 12)}… (journal replaced or modified)`)
  }
  const header = reader.header
  const { summary: runSummary, metrics, series } = await firstValueFrom(journalEvents(reader).pipe(analyseRun(header.venue, { series: true })))
  const scenario = header.scenario as { name?: string; description?: string }
  const provenance: ReportProvenance = {
    format: 'cascadelab-report', formatVersion: REPORT_FORMAT_VERSION, kind: 'run', packageVersion: header.packageVersion,
    commands: summary.command ? [summary.command] : [], reportCommand,
    runs: [{ id: basename(dir), seed: header.seed, scenario, journalSha256: sha256, finalStateDigest: summary.journal.finalStateDigest }],
  }
  writeFileAtomic(file, runReportHtml({
    scenarioName: scenario.name ?? summary.scenario, description: scenario.description ?? '', seed: header.seed, scenario,
    summary: runSummary, metrics, series: series!, journal: summary.journal, provenance,
  }))
  return { file, kind: 'run', runs: 1, missing: 0 }
}

async function writeSweepReport(dir: string, file: string, reportCommand: string[]): Promise<ReportOutcome> {
  const manifest = readManifest(dir)!
  const summaries = manifest.runs.map((run) => finishedRun(dir, run)).filter((s) => s !== null)
  if (summaries.length === 0) throw new UserError(`${dir}: no finished runs yet`)
  const commands = new Map<string, string[]>()
  for (const s of summaries) if (s.command) commands.set(JSON.stringify(s.command), s.command)
  const provenance: ReportProvenance = {
    format: 'cascadelab-report', formatVersion: REPORT_FORMAT_VERSION, kind: 'sweep', packageVersion: manifest.packageVersion,
    commands: [...commands.values()], reportCommand,
    sweep: { name: manifest.name, planDigest: manifest.planDigest, spec: manifest.spec, base: manifest.base },
    runs: summaries.map((s) => ({
      id: s.sweep.runId, seed: s.seed, patches: s.sweep.patches, journalSha256: s.journal.sha256, finalStateDigest: s.journal.finalStateDigest,
    })),
  }
  const missing = manifest.runs.length - summaries.length
  writeFileAtomic(file, sweepReportHtml({
    name: manifest.name,
    description: `${manifest.description}${missing > 0 ? ` (${missing} of ${manifest.runs.length} runs not finished yet: not included)` : ''}`,
    design: manifest.spec.design, axes: manifest.axes, spec: manifest.spec, provenance,
    rows: summaries.map((s) => ({ runId: s.sweep.runId, variant: s.sweep.variant, seed: s.seed, params: s.sweep.params, metrics: s.metrics })),
  }))
  return { file, kind: 'sweep', runs: summaries.length, missing }
}
