// The plan of a sweep: every run it will make, in a fixed order (variant-major, then seed), each
// with an id, its seed, its axis values and the immer patches that turn the base scenario into
// its variant. The plan is fully determined by the sweep file and the package version, and its
// digest identifies the sweep: resuming, sharding and merging all check it, so outputs of
// different sweeps never mix.

import { createHash } from 'node:crypto'
import { dirname, isAbsolute, join } from 'node:path'
import { enablePatches, produceWithPatches, type Patch } from 'immer'
import { UserError } from './errors.js'
import { leafPaths, parseFieldPath, setAtPath, valueAtPath } from './field_path.js'
import { namedScenarioFile, resolveScenario } from './named_scenarios.js'
import { PACKAGE_VERSION } from './package_info.js'
import { parseScenario, type Scenario } from './scenario.js'
import { designPoints } from './sweep_design.js'
import { venueConfigOf } from './world.js'
import { seedsOf, type AxisValue, type SweepSpec } from './sweep_spec.js'

enablePatches()

export interface PlannedRun {
  /** Directory name under runs/, e.g. "run-00012". */
  id: string
  /** Position in the plan (0-based); shards split on it. */
  index: number
  variant: number
  seed: number
  /** Axis path → value of this variant. */
  params: Record<string, AxisValue>
  /** Base scenario → variant scenario (fixed settings and axis values). */
  patches: Patch[]
  /** sha-256 (hex, 16 digits) of the variant scenario and seed. */
  runKey: string
}

export interface SweepPlan {
  spec: SweepSpec
  /** The base scenario with every default filled in. */
  base: Scenario
  axes: string[]
  runs: PlannedRun[]
  /** sha-256 of package version, base scenario and every run's key: the sweep's identity. */
  digest: string
  /** Variant scenarios by variant index. */
  variants: Scenario[]
}

/** Plans sweep `spec` read from `specFile` (a base scenario file is resolved relative to it). */
export function planSweep(spec: SweepSpec, specFile: string): SweepPlan {
  const base = resolveBase(spec.base, specFile)
  const fixed = Object.entries(spec.set).map(([path, value]) => ({ path, value, where: `set.${path}` }))
  const axes = spec.axes.map((axis, k) => ({ path: axis.path, where: `axes.${k}.path` }))
  for (const { path, where } of [...fixed, ...axes]) checkPath(base, path, `${specFile}: ${where}`)
  const seeds = seedsOf(spec)
  const runs: PlannedRun[] = []
  const variants: Scenario[] = []
  const points = designPoints(spec)
  const width = Math.max(5, String(points.length * seeds.length - 1).length)
  points.forEach((point, variant) => {
    const params = Object.fromEntries(axes.map((axis, k) => [axis.path, point[k] as AxisValue]))
    const [draft, patches] = produceWithPatches(base, (scenario) => {
      for (const { path, value } of fixed) setAtPath(scenario as unknown as Record<string, unknown>, parseFieldPath(path), value)
      for (const [path, value] of Object.entries(params)) setAtPath(scenario as unknown as Record<string, unknown>, parseFieldPath(path), value)
    })
    const shown = Object.entries(params).map(([path, value]) => `${path}=${JSON.stringify(value)}`).join(', ')
    const where = `${specFile}: variant ${variant}${shown ? ` (${shown})` : ''}`
    const scenario = parseScenario(draft, where)
    try {
      venueConfigOf(scenario) // unit checks the schema cannot express (tick × lot in whole cash units)
    } catch (error) {
      throw new UserError(`${where}: ${(error as Error).message}`)
    }
    variants.push(scenario)
    for (const seed of seeds) {
      const index = runs.length
      runs.push({ id: `run-${String(index).padStart(width, '0')}`, index, variant, seed, params, patches, runKey: runKeyOf(scenario, seed) })
    }
  })
  const digest = sha256(JSON.stringify({ packageVersion: PACKAGE_VERSION, base, runs: runs.map((r) => [r.id, r.runKey]) }))
  return { spec, base, axes: axes.map((axis) => axis.path), runs, digest, variants }
}

/** Identity of one run: sha-256 of its scenario and seed (16 hex digits). */
export function runKeyOf(scenario: Scenario, seed: number): string {
  return sha256(JSON.stringify({ scenario, seed })).slice(0, 16)
}

function resolveBase(base: string, specFile: string): Scenario {
  if (namedScenarioFile(base) !== null) return resolveScenario(base)
  return resolveScenario(isAbsolute(base) ? base : join(dirname(specFile), base))
}

function checkPath(base: Scenario, path: string, where: string): void {
  if (valueAtPath(base, parseFieldPath(path)) !== undefined) return
  const last = path.split('.').pop() ?? path
  const hints = leafPaths(base).filter((candidate) => candidate.split('.').pop() === last).slice(0, 3)
  throw new UserError(`${where}: no scenario field "${path}"${hints.length ? ` (did you mean ${hints.join(' or ')}?)` : ''}`)
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}
