// What a sweep stores about itself and each of its runs. sweep.json (the manifest) holds the
// plan: every run's id, seed, axis values, immer patches and run key. Each run's summary.json
// carries a SweepRunRecord under `sweep`, so a run directory says which sweep and variant it
// belongs to; a run is finished when its summary.json exists with the planned run key.

import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Patch } from 'immer'
import { UserError } from './errors.js'
import type { RunReport } from './run_scenario.js'
import type { Scenario } from './scenario.js'
import type { PlannedRun, SweepPlan } from './sweep_plan.js'
import type { AxisValue, SweepSpec } from './sweep_spec.js'

export const SWEEP_MANIFEST = 'sweep.json'
export const SWEEP_FORMAT_VERSION = 1

export interface SweepManifest {
  format: 'cascadelab-sweep'
  formatVersion: number
  name: string
  description: string
  packageVersion: string
  planDigest: string
  spec: SweepSpec
  base: Scenario
  axes: string[]
  runs: PlannedRun[]
}

export interface SweepRunRecord {
  sweep: string
  planDigest: string
  runId: string
  index: number
  variant: number
  params: Record<string, AxisValue>
  patches: Patch[]
  runKey: string
}

/** A finished run's summary.json as written by a sweep. */
export type SweepRunSummary = RunReport & { sweep: SweepRunRecord }

/** The manifest of `plan`. */
export function manifestOf(plan: SweepPlan, packageVersion: string): SweepManifest {
  return {
    format: 'cascadelab-sweep', formatVersion: SWEEP_FORMAT_VERSION, name: plan.spec.name, description: plan.spec.description,
    packageVersion, planDigest: plan.digest, spec: plan.spec, base: plan.base, axes: plan.axes, runs: plan.runs,
  }
}

/** Reads `dir`/sweep.json, or null if there is none. */
export function readManifest(dir: string): SweepManifest | null {
  const file = join(dir, SWEEP_MANIFEST)
  if (!existsSync(file)) return null
  let manifest: SweepManifest
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as SweepManifest
  } catch (error) {
    throw new UserError(`${file}: not a valid sweep manifest (${(error as Error).message})`)
  }
  if (manifest.format !== 'cascadelab-sweep' || manifest.formatVersion !== SWEEP_FORMAT_VERSION) {
    throw new UserError(`${file}: not a cascadelab sweep manifest of format version ${SWEEP_FORMAT_VERSION}`)
  }
  return manifest
}

/** Directory of run `id` in sweep directory `dir`. */
export function runDir(dir: string, id: string): string {
  return join(dir, 'runs', id)
}

/** The finished summary of `run` in sweep directory `dir`, or null if it has not finished there. */
export function finishedRun(dir: string, run: Pick<PlannedRun, 'id' | 'runKey'>): SweepRunSummary | null {
  const file = join(runDir(dir, run.id), 'summary.json')
  if (!existsSync(file)) return null
  try {
    const summary = JSON.parse(readFileSync(file, 'utf8')) as SweepRunSummary
    if (summary.sweep?.runKey !== run.runKey) return null
    return existsSync(join(runDir(dir, run.id), summary.journal.file)) ? summary : null
  } catch {
    return null // a torn or foreign file: the run is redone
  }
}
