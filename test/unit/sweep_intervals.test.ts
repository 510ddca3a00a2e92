// The interval tables of docs/VALIDATION.md: mean and 95% Student-t interval by axis value, and
// the paired difference between the first and last axis values seed by seed, read from a sweep's
// runs/*/summary.json (a crafted sweep with hand-computed figures).

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sweepIntervals } from '../../experiments/validation/sweep_intervals.js'

function sweep(rows: [depth: number, seed: number, amplification: number][]): string {
  const dir = mkdtempSync(join(tmpdir(), 'cascadelab-intervals-'))
  rows.forEach(([depth, seed, amplification], k) => {
    const run = join(dir, 'runs', `run-${k}`)
    mkdirSync(run, { recursive: true })
    writeFileSync(join(run, 'summary.json'), JSON.stringify({ seed, price: { amplification }, sweep: { params: { depth } } }))
  })
  return dir
}

describe('sweep intervals', () => {
  it('means with t intervals by axis value, and the paired first − last difference', () => {
    // depth 100: 1.2, 1.4 (mean 1.3, s = 0.1414, t(1) = 12.706 → ±1.2706); depth 900: 1.1, 1.1
    // paired: 0.1, 0.3 → mean 0.2 ± 1.2706, positive in 2/2
    const text = sweepIntervals(sweep([[100, 1, 1.2], [100, 2, 1.4], [900, 1, 1.1], [900, 2, 1.1]]), 'depth', ['price.amplification'])
    expect(text).toContain('| 100 | 2 | 1.300 [0.029, 2.571] |')
    expect(text).toContain('| 900 | 2 | 1.100 [1.100, 1.100] |')
    expect(text).toContain('- price.amplification: 0.200 [-1.071, 1.471], positive in 2/2')
  })

  it('names a field that is not a number', () => {
    expect(() => sweepIntervals(sweep([[100, 1, 1.2]]), 'depth', ['price.nope'])).toThrow(/price\.nope is not a number/)
  })
})
