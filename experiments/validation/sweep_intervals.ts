// Mean and 95% confidence interval (Student t) of run-summary fields by the value of one sweep
// axis, and the paired difference between its first and last values seed by seed — the tables
// of docs/VALIDATION.md. Reads a sweep directory's runs/*/summary.json, so any field of a run's
// summary can be used (dot paths, e.g. price.amplification, liquidations.notional).
//
//   npx tsx experiments/validation/sweep_intervals.ts sweeps/depth-monotonicity \
//     marketMakers.lotsPerLevel price.amplification liquidations.notional

import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { meanInterval } from '../../analysis/report/sweep_statistics.js'

interface RunRecord { seed: number; axisValue: number | string; fields: number[] }

/** Every finished run of sweep `dir`: its seed, its value of `axis`, and the requested fields. */
function readRuns(dir: string, axis: string, fields: readonly string[]): RunRecord[] {
  const runs = join(dir, 'runs')
  if (!existsSync(runs)) throw new Error(`${dir}: no runs/ directory (run the sweep first)`)
  return readdirSync(runs).sort().flatMap((id) => {
    const file = join(runs, id, 'summary.json')
    if (!existsSync(file)) return []
    const summary = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> & { seed: number; sweep?: { params?: Record<string, number | string> } }
    const axisValue = summary.sweep?.params?.[axis]
    if (axisValue === undefined) throw new Error(`${file}: no sweep parameter ${axis}`)
    return [{ seed: summary.seed, axisValue, fields: fields.map((path) => valueAt(summary, path, file)) }]
  })
}

function valueAt(object: unknown, path: string, file: string): number {
  const value = path.split('.').reduce<unknown>((o, key) => (o as Record<string, unknown> | undefined)?.[key], object)
  if (typeof value !== 'number') throw new Error(`${file}: ${path} is not a number (got ${JSON.stringify(value)})`)
  return value
}

const format = (x: number): string => (Math.abs(x) >= 1000 ? x.toLocaleString('en-US', { maximumFractionDigits: 0 }) : x.toFixed(3))
const interval = (values: readonly number[]): string => {
  const m = meanInterval(values)
  return `${format(m.mean)} [${format(m.low)}, ${format(m.high)}]`
}

/** The markdown tables for `fields` by `axis`. */
export function sweepIntervals(dir: string, axis: string, fields: readonly string[]): string {
  const runs = readRuns(dir, axis, fields)
  const values = [...new Set(runs.map((r) => r.axisValue))].sort((a, b) => (Number(a) - Number(b)) || String(a).localeCompare(String(b)))
  const lines = [`| ${axis} | runs | ${fields.join(' | ')} |`, `|---|---|${fields.map(() => '---|').join('')}`]
  for (const v of values) {
    const group = runs.filter((r) => r.axisValue === v)
    lines.push(`| ${v} | ${group.length} | ${fields.map((_, k) => interval(group.map((r) => r.fields[k]!))).join(' | ')} |`)
  }
  const first = values[0]
  const last = values[values.length - 1]
  const bySeed = (v: number | string) => new Map(runs.filter((r) => r.axisValue === v).map((r) => [r.seed, r.fields]))
  const a = bySeed(first!)
  const b = bySeed(last!)
  const seeds = [...a.keys()].filter((s) => b.has(s))
  lines.push('', `Paired by seed, (${axis} = ${first}) − (${axis} = ${last}), ${seeds.length} seeds: mean [95% CI], seeds where positive`, '')
  for (const [k, field] of fields.entries()) {
    const diffs = seeds.map((s) => a.get(s)![k]! - b.get(s)![k]!)
    lines.push(`- ${field}: ${interval(diffs)}, positive in ${diffs.filter((d) => d > 0).length}/${diffs.length}`)
  }
  return lines.join('\n')
}

if (process.argv[1]?.endsWith('sweep_intervals.ts') || process.argv[1]?.endsWith('sweep_intervals.js')) {
  const [dir, axis, ...fields] = process.argv.slice(2)
  if (dir === undefined || axis === undefined || fields.length === 0) {
    process.stderr.write('usage: sweep_intervals.ts SWEEP_DIR AXIS FIELD...\n')
    process.exit(2)
  }
  process.stdout.write(`${sweepIntervals(dir, axis, fields)}\n`)
}
