// `cascadelab merge`: puts the shards of a sweep back together. Each given directory holds some
// finished runs of the same plan (checked by digest) — separate per-shard directories, or one
// shared directory every shard wrote into. Every planned run must be finished in one of them;
// missing runs are listed with the shard that owns them. Runs from other directories are
// hard-linked (or copied) into the output, and the table is built exactly as a single-machine
// sweep builds it, so the two are byte-identical.

import { copyFileSync, linkSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { makeOutputDirectory } from './output_directory.js'
import { join, resolve } from 'node:path'
import { writeFileAtomic } from './atomic_file.js'
import { UserError } from './errors.js'
import { buildResultsTable, writeResults } from './results_table.js'
import { finishedRun, readManifest, runDir, SWEEP_MANIFEST, type SweepManifest, type SweepRunSummary } from './sweep_record.js'

export interface MergeOutcome { manifest: SweepManifest; runs: number; linked: number; table: { csv: string; parquet: string } }

/** Merges sweep directories `dirs` into `outDir` (which may be one of them). */
export async function mergeSweeps(dirs: readonly string[], outDir: string): Promise<MergeOutcome> {
  const manifests = dirs.map((dir) => {
    const manifest = readManifest(dir)
    if (manifest === null) throw new UserError(`${dir}: no ${SWEEP_MANIFEST} here (not a sweep output directory)`)
    return manifest
  })
  const manifest = manifests[0]!
  manifests.forEach((other, k) => {
    if (other.planDigest !== manifest.planDigest) {
      throw new UserError(`${dirs[k]}: holds sweep "${other.name}" with a different plan than ${dirs[0]} (digest ${other.planDigest.slice(0, 12)} ≠ ${manifest.planDigest.slice(0, 12)})`)
    }
  })
  const found: { summary: SweepRunSummary; dir: string }[] = []
  const missing: number[] = []
  for (const run of manifest.runs) {
    const hit = dirs.map((dir) => ({ dir, summary: finishedRun(dir, run) })).find((x) => x.summary !== null)
    if (hit) found.push({ dir: hit.dir, summary: hit.summary as SweepRunSummary })
    else missing.push(run.index)
  }
  if (missing.length > 0) {
    const ids = missing.slice(0, 5).map((i) => manifest.runs[i]!.id).join(', ')
    throw new UserError(`merge: ${missing.length} of ${manifest.runs.length} runs are not finished in ${dirs.join(', ')} (${ids}${missing.length > 5 ? ', …' : ''}); rerun the shards that own them`)
  }
  makeOutputDirectory(join(outDir, 'runs'))
  if (readManifest(outDir) === null) writeFileAtomic(join(outDir, SWEEP_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`)
  let linked = 0
  for (const { dir, summary } of found) {
    if (resolve(dir) === resolve(outDir) || finishedRun(outDir, manifest.runs[summary.sweep.index]!) !== null) continue
    importRun(runDir(dir, summary.sweep.runId), runDir(outDir, summary.sweep.runId))
    linked++
  }
  const table = await writeResults(outDir, 'results', buildResultsTable(manifest.axes, found.map((f) => f.summary)))
  return { manifest, runs: found.length, linked, table }
}

/** Links or copies a finished run directory; summary.json goes last, so the copy commits atomically. */
function importRun(from: string, to: string): void {
  makeOutputDirectory(to)
  const files = readdirSync(from).filter((name) => !name.includes('.tmp-') && !name.endsWith('.partial'))
  const ordered = [...files.filter((name) => name !== 'summary.json'), 'summary.json']
  for (const name of ordered) {
    const temp = join(to, `${name}.tmp-${process.pid}`)
    rmSync(temp, { force: true })
    try {
      linkSync(join(from, name), temp)
    } catch {
      copyFileSync(join(from, name), temp)
    }
    renameSync(temp, join(to, name))
  }
}
