// A sweep file (YAML or JSON): a base scenario, fixed settings, axes over scenario fields by
// path, a design that picks points on those axes (grid, random, Latin hypercube) and replicate
// seeds. Validated like scenario files: errors name the file, the field path, the value and what
// was expected. `cascadelab sweep --help` and docs/SWEEPS.md show an example.

import { z } from 'zod'
import { readDataFile } from './scenario.js'
import { schemaError } from './schema_error.js'

const axisValue = z.union([z.number(), z.string(), z.boolean()])
export type AxisValue = z.infer<typeof axisValue>

const axisSchema = z.strictObject({
  path: z.string().min(1).describe('scenario field, dotted: venue.insuranceFund, price.shocks.0.drop'),
  values: z.array(axisValue).min(1).optional().describe('explicit values (any design)'),
  min: z.number().optional().describe('lower bound (numeric axes)'),
  max: z.number().optional().describe('upper bound (numeric axes)'),
  steps: z.number().int().min(2).optional().describe('grid points from min to max, inclusive'),
  scale: z.enum(['linear', 'log']).default('linear'),
  integer: z.boolean().default(false).describe('round drawn values to integers'),
}).superRefine((axis, context) => {
  const range = axis.min !== undefined || axis.max !== undefined
  if (axis.values !== undefined && (range || axis.steps !== undefined)) {
    context.addIssue({ code: 'custom', message: 'give either values or min/max, not both' })
  } else if (axis.values === undefined && (axis.min === undefined || axis.max === undefined)) {
    context.addIssue({ code: 'custom', message: 'needs values, or both min and max' })
  } else if (axis.min !== undefined && axis.max !== undefined && axis.min > axis.max) {
    context.addIssue({ code: 'custom', path: ['max'], message: `must be >= min (${axis.min})` })
  } else if (axis.scale === 'log' && axis.min !== undefined && axis.min <= 0) {
    context.addIssue({ code: 'custom', path: ['min'], message: 'must be > 0 on a log scale' })
  }
})
export type SweepAxis = z.infer<typeof axisSchema>

const seedsSchema = z.union([
  z.array(z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)).min(1),
  z.strictObject({ count: z.number().int().min(1).max(100_000), start: z.number().int().min(0).default(1) }),
])

export const sweepSchema = z.strictObject({
  name: z.string().min(1).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" or "-"'),
  description: z.string().default(''),
  base: z.string().min(1).default('default').describe('named scenario, or scenario file relative to the sweep file'),
  set: z.record(z.string(), z.unknown()).default({}).describe('fixed values by field path, applied to every variant'),
  design: z.enum(['grid', 'random', 'latin-hypercube']).default('grid'),
  samples: z.number().int().min(1).max(1_000_000).optional().describe('points drawn by random and latin-hypercube'),
  designSeed: z.number().int().min(0).default(1).describe('seed of the random and latin-hypercube draws'),
  axes: z.array(axisSchema).default([]),
  seeds: seedsSchema.default({ count: 1, start: 1 }).describe('replicate seeds: a list, or { count, start }'),
  timeSeries: z.boolean().default(true).describe('write timeseries.csv for every run'),
}).superRefine((spec, context) => {
  if (spec.design !== 'grid' && spec.samples === undefined) {
    context.addIssue({ code: 'custom', path: ['samples'], message: `required for design ${spec.design}` })
  }
  spec.axes.forEach((axis, k) => {
    if (spec.design === 'grid' && axis.values === undefined && axis.steps === undefined) {
      context.addIssue({ code: 'custom', path: ['axes', k, 'steps'], message: 'a grid axis with min/max needs steps' })
    }
  })
  const paths = spec.axes.map((axis) => axis.path)
  const duplicate = paths.find((path, k) => paths.indexOf(path) !== k)
  if (duplicate !== undefined) context.addIssue({ code: 'custom', path: ['axes'], message: `path ${duplicate} appears twice` })
})
export type SweepSpec = z.infer<typeof sweepSchema>

/** The replicate seeds of a sweep, in order. */
export function seedsOf(spec: SweepSpec): number[] {
  const seeds = spec.seeds
  return Array.isArray(seeds) ? [...seeds] : Array.from({ length: seeds.count }, (_, k) => seeds.start + k)
}

/** Validates parsed sweep data; `source` names it in errors. */
export function parseSweepSpec(raw: unknown, source: string): SweepSpec {
  const result = sweepSchema.safeParse(raw)
  if (!result.success) throw schemaError(source, raw, result.error)
  return result.data
}

/** Reads and validates a sweep file (.json, .yaml or .yml). */
export function loadSweepFile(file: string): SweepSpec {
  return parseSweepSpec(readDataFile(file, 'sweep'), file)
}
