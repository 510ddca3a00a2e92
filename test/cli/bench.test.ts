// `cascadelab bench`: runs the scaling scenario at each account count and prints one row per
// count (here tiny counts and a few simulated minutes, so it stays fast); bad lists are one-line
// user errors.

import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli } from '../helpers/cli.js'

describe('cascadelab bench', () => {
  it('prints a row per account count with time per simulated hour and growth', () => {
    const out = mkdtempSync(join(tmpdir(), 'cascadelab-bench-'))
    const result = cli('bench', '--accounts', '400,800', '--hours', '0.05', '--out', out, '--json')
    expect(result.code, result.stderr).toBe(0)
    const rows = JSON.parse(result.stdout) as { accounts: number; secondsPerSimulatedHour: number; growth: number | null; accountsRatio: number | null; events: number }[]
    expect(rows.map((r) => r.accounts)).toEqual([400, 800])
    expect(rows[0]!.growth).toBeNull()
    expect(rows[1]!.accountsRatio).toBe(2)
    expect(rows[1]!.growth).toBeCloseTo(rows[1]!.secondsPerSimulatedHour / rows[0]!.secondsPerSimulatedHour, 10)
    for (const row of rows) expect(row.secondsPerSimulatedHour).toBeGreaterThan(0)
    // the larger world has more accounts to set up: more events
    expect(rows[1]!.events).toBeGreaterThan(rows[0]!.events)
    expect(existsSync(join(out, '800', 'journal.msgpack'))).toBe(true)
  })

  it('rejects bad account lists and hours in one line', () => {
    for (const args of [['--accounts', '10,abc'], ['--accounts', '1'], ['--hours', '0'], ['--hours', 'x']]) {
      const result = cli('bench', ...args)
      expect(result.code).toBe(2)
      expect(result.stderr).toMatch(/accounts must be|hours must be/)
      expect(result.stderr).not.toMatch(/\n\s+at /)
    }
  })
})
