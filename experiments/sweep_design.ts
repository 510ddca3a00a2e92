// Points of a sweep design over its axes. A grid is the cartesian product of every axis's values
// (first axis outermost). Random draws each axis independently and uniformly. A Latin hypercube
// splits each axis into `samples` equal strata and puts exactly one point in each stratum of
// every axis, pairing strata across axes by a random permutation — better coverage than random
// for the same number of runs. Draws come from engine/prng.ts streams of (designSeed, name), and
// log scales use the deterministic exp/ln, so every machine computes the same points (a shard
// on one node and a merge on another must agree).

import { assertNever } from '../engine/assert.js'
import { expDeterministic, lnDeterministic } from '../engine/deterministic_math.js'
import { Prng } from '../engine/prng.js'
import type { AxisValue, SweepAxis, SweepSpec } from './sweep_spec.js'

/** One point per variant; point[k] is the value of axis k. */
export function designPoints(spec: SweepSpec): AxisValue[][] {
  if (spec.axes.length === 0) return [[]]
  switch (spec.design) {
    case 'grid':
      return gridPoints(spec.axes)
    case 'random':
      return randomPoints(spec.axes, spec.samples ?? 1, spec.designSeed)
    case 'latin-hypercube':
      return latinHypercubePoints(spec.axes, spec.samples ?? 1, spec.designSeed)
    default:
      return assertNever(spec.design)
  }
}

/** Values of a grid axis: its list, or `steps` points from min to max on its scale. */
export function gridValues(axis: SweepAxis): AxisValue[] {
  if (axis.values !== undefined) return axis.values
  const steps = axis.steps ?? 2
  return Array.from({ length: steps }, (_, k) => valueAt(axis, k / (steps - 1)))
}

function gridPoints(axes: readonly SweepAxis[]): AxisValue[][] {
  let points: AxisValue[][] = [[]]
  for (const axis of axes) {
    const values = gridValues(axis)
    points = points.flatMap((point) => values.map((value) => [...point, value]))
  }
  return points
}

function randomPoints(axes: readonly SweepAxis[], samples: number, designSeed: number): AxisValue[][] {
  const prng = new Prng(designSeed, 'sweep-random')
  return Array.from({ length: samples }, () => axes.map((axis) => valueAt(axis, prng.unit())))
}

function latinHypercubePoints(axes: readonly SweepAxis[], samples: number, designSeed: number): AxisValue[][] {
  const columns = axes.map((axis, k) => {
    const prng = new Prng(designSeed, `sweep-latin-hypercube-${k}`)
    const strata = prng.shuffle(Array.from({ length: samples }, (_, i) => i))
    return strata.map((stratum) => valueAt(axis, (stratum + prng.unit()) / samples))
  })
  return Array.from({ length: samples }, (_, i) => columns.map((column) => column[i] as AxisValue))
}

/** The axis value at quantile u ∈ [0, 1]: a list entry, or a point between min and max on the axis scale. */
export function valueAt(axis: SweepAxis, u: number): AxisValue {
  if (axis.values !== undefined) return axis.values[Math.min(axis.values.length - 1, Math.floor(u * axis.values.length))] as AxisValue
  const min = axis.min as number
  const max = axis.max as number
  const raw = axis.scale === 'log'
    ? expDeterministic(lnDeterministic(min) + u * (lnDeterministic(max) - lnDeterministic(min)))
    : min + u * (max - min)
  const clamped = Math.min(max, Math.max(min, raw))
  return axis.integer ? Math.round(clamped) : Number(clamped.toPrecision(12))
}
