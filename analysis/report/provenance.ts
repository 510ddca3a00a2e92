// What a report embeds so anyone can re-run it: the commands that made the runs, the package
// version, and per run its seed, scenario (or base scenario + immer patches for a sweep) and
// the digests the re-run must reproduce. `cascadelab reproduce REPORT` reads this back.

export const REPORT_FORMAT_VERSION = 1

export interface ReportRun {
  id: string
  seed: number
  /** The resolved scenario (run reports). */
  scenario?: unknown
  /** Patches over ReportProvenance.sweep.base (sweep reports). */
  patches?: unknown[]
  /** sha-256 of the journal file. */
  journalSha256: string
  /** sha-256 state digest at the end of the run. */
  finalStateDigest: string
}

export interface ReportProvenance {
  format: 'cascadelab-report'
  formatVersion: number
  kind: 'run' | 'sweep'
  packageVersion: string
  /** Command lines that produced the runs (distinct, in first-seen order). */
  commands: string[][]
  /** The command that wrote the report. */
  reportCommand: string[]
  sweep?: { name: string; planDigest: string; spec: unknown; base: unknown }
  runs: ReportRun[]
}
