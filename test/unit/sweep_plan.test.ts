// Sweep designs, plans and shards: grid order and size, random and Latin-hypercube bounds and
// stratification, determinism, variants as immer patches over the base, one-line errors that
// name the file and field, and shards that partition the plan.

import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { applyPatches } from 'immer'
import { describe, expect, it } from 'vitest'
import { UserError } from '../../experiments/errors.js'
import { inShard, parseShard } from '../../experiments/shard.js'
import { designPoints } from '../../experiments/sweep_design.js'
import { planSweep } from '../../experiments/sweep_plan.js'
import { loadSweepFile, parseSweepSpec } from '../../experiments/sweep_spec.js'
import { defaultScenario, type Scenario } from '../../experiments/scenario.js'

const spec = (raw: Record<string, unknown>) => parseSweepSpec({ name: 't', ...raw }, 'test.yaml')

describe('sweep designs', () => {
  it('a grid is the cartesian product, first axis outermost, with evenly spaced min/max steps', () => {
    const points = designPoints(spec({
      axes: [{ path: 'a', values: [1, 2] }, { path: 'b', min: 0, max: 1, steps: 3 }, { path: 'c', min: 1, max: 100, steps: 3, scale: 'log' }],
    }))
    expect(points).toHaveLength(2 * 3 * 3)
    expect(points.slice(0, 4)).toEqual([[1, 0, 1], [1, 0, 10], [1, 0, 100], [1, 0.5, 1]])
    expect(points[17]).toEqual([2, 1, 100])
  })

  it('latin hypercube puts exactly one point in each stratum of every axis (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 1e6 }), (samples, designSeed) => {
      const s = spec({
        design: 'latin-hypercube', samples, designSeed,
        axes: [{ path: 'x', min: 10, max: 20 }, { path: 'y', min: -1, max: 1 }],
      })
      const points = designPoints(s)
      expect(points).toHaveLength(samples)
      for (const [k, [lo, hi]] of [[10, 20], [-1, 1]].entries()) {
        const strata = points.map((p) => Math.min(samples - 1, Math.floor((((p[k] as number) - lo!) / (hi! - lo!)) * samples))).sort((a, b) => a - b)
        expect(strata).toEqual(Array.from({ length: samples }, (_, i) => i))
      }
      expect(designPoints(s)).toEqual(points) // deterministic
    }), { numRuns: 60 })
  })

  it('random draws stay in bounds, round integer axes, and depend on designSeed only', () => {
    const s = spec({ design: 'random', samples: 200, axes: [{ path: 'x', min: 5, max: 9, integer: true }, { path: 'y', values: ['a', 'b'] }] })
    const points = designPoints(s)
    expect(points.every(([x]) => Number.isInteger(x) && (x as number) >= 5 && (x as number) <= 9)).toBe(true)
    expect(new Set(points.map((p) => p[0]))).toEqual(new Set([5, 6, 7, 8, 9]))
    expect(new Set(points.map((p) => p[1]))).toEqual(new Set(['a', 'b']))
    expect(designPoints({ ...s, designSeed: 2 })).not.toEqual(points)
  })

  it('bad sweep files fail naming the field and value', () => {
    expect(() => spec({ axes: [{ path: 'x', min: 3, max: 1, steps: 2 }] })).toThrow(/test\.yaml: axes\.0\.max: must be >= min \(3\) \(got 1\)/)
    expect(() => spec({ design: 'random', axes: [] })).toThrow(/test\.yaml: samples: required for design random/)
    expect(() => spec({ axes: [{ path: 'x', min: 0, max: 1 }] })).toThrow(/axes\.0\.steps: a grid axis with min\/max needs steps/)
    expect(() => spec({ seeds: { count: 0 } })).toThrow(/test\.yaml: seeds/)
    expect(() => spec({ axes: [{ path: 'x', values: [1], frob: 2 }] })).toThrow(/axes\.0: .*frob/)
  })
})

describe('sweep plans', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cascadelab-plan-'))
  const file = join(dir, 'plan.yaml')
  writeFileSync(file, [
    'name: plan', 'base: default', 'set: { durationMs: 60000 }',
    'axes:', '  - { path: venue.insuranceFund, values: [0, 1000] }', '  - { path: price.shocks.0.drop, values: [0.05, 0.1] }',
    'seeds: { count: 3, start: 7 }', '',
  ].join('\n'))

  it('each variant is the base plus its recorded immer patches; runs are variant-major', () => {
    const plan = planSweep(loadSweepFile(file), file)
    expect(plan.runs).toHaveLength(12)
    expect(plan.runs.slice(0, 4).map((r) => [r.id, r.variant, r.seed])).toEqual([
      ['run-00000', 0, 7], ['run-00001', 0, 8], ['run-00002', 0, 9], ['run-00003', 1, 7],
    ])
    for (const run of plan.runs) {
      const variant = applyPatches(plan.base, run.patches)
      expect(variant).toEqual(plan.variants[run.variant])
      expect(variant.durationMs).toBe(60_000)
      expect(variant.venue.insuranceFund).toBe(run.params['venue.insuranceFund'])
      expect(variant.price.shocks[0]!.drop).toBe(run.params['price.shocks.0.drop'])
    }
    expect(plan.base).toEqual(defaultScenario())
    expect(planSweep(loadSweepFile(file), file).digest).toBe(plan.digest)
  })

  it('an unknown field path or an invalid variant is a UserError naming the file and field', () => {
    const bad = join(dir, 'bad.yaml')
    writeFileSync(bad, 'name: bad\naxes:\n  - { path: venue.insuranceFnd, values: [1] }\n')
    expect(() => planSweep(loadSweepFile(bad), bad)).toThrow(UserError)
    expect(() => planSweep(loadSweepFile(bad), bad)).toThrow(/bad\.yaml: axes\.0\.path: no scenario field "venue\.insuranceFnd"/)
    writeFileSync(bad, 'name: bad\naxes:\n  - { path: population.pairs, values: [10, -3] }\n')
    expect(() => planSweep(loadSweepFile(bad), bad)).toThrow(/bad\.yaml: variant 1 \(population\.pairs=-3\): population\.pairs: .*>=0.*\(got -3\)/)
  })
})

describe('shards', () => {
  it('shards 1..n partition the plan (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 17 }), fc.integer({ min: 0, max: 200 }), (n, runs) => {
      const owners = Array.from({ length: runs }, (_, i) => Array.from({ length: n }, (_, k) => k + 1).filter((k) => inShard(i, { k, n })))
      expect(owners.every((o) => o.length === 1)).toBe(true)
    }))
  })

  it('parses k/n and rejects nonsense', () => {
    expect(parseShard('2/3')).toEqual({ k: 2, n: 3 })
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '1-3']) expect(() => parseShard(bad)).toThrow(/shard must be k\/n/)
  })
})

describe('example sweeps shipped in experiments/sweeps/', () => {
  it('cross-vs-isolated plans the same population in both margin modes over 5 seeds', () => {
    const file = join(import.meta.dirname, '..', '..', 'experiments', 'sweeps', 'cross-vs-isolated.yaml')
    const plan = planSweep(loadSweepFile(file), file)
    expect(plan.runs).toHaveLength(10)
    expect(plan.variants.map((v) => v.population.marginMode)).toEqual(['cross', 'isolated'])
    // Apart from the margin mode, the two variants are the same world.
    const [cross, isolated] = plan.variants as [Scenario, Scenario]
    expect({ ...isolated, population: { ...isolated.population, marginMode: 'cross' } }).toEqual(cross)
  })
})
