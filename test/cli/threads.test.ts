// `run --threads`: the number of risk-scan threads never shows in the results. A world large
// enough for the liquidation index to rebuild from full scans (≥ 4096 accounts, all changed at
// setup) runs with --threads 1 (sequential) and --threads 2 (a Piscina pool of 2 workers):
// byte-identical journals, the pool really scanned, and the process exits (no hanging worker).
// The same with the JavaScript scan kernel instead of the native one (CASCADELAB_SCAN=js).
// Bad --threads values are one-line user errors.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli, cliWithEnv } from '../helpers/cli.js'

const SCENARIO = `
name: threads-check
durationMs: 90000
population:
  pairs: 2100
price:
  shocks: [{ atMs: 30000, drop: 0.12, durationMs: 5000 }]
`

describe('run --threads', () => {
  it('writes byte-identical journals with 1 and 2 threads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cascadelab-threads-'))
    const scenario = join(dir, 'threads.yaml')
    writeFileSync(scenario, SCENARIO)
    const runs = [1, 2].map((threads) => {
      const out = join(dir, `t${threads}`)
      const result = cli('run', scenario, '--seed', '3', '--out', out, '--quiet', '--threads', String(threads))
      expect(result.code, result.stderr).toBe(0)
      expect(result.stdout).toContain(`on ${threads} thread`)
      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))
      return { journal: readFileSync(join(out, 'journal.msgpack')), summary }
    })
    expect(runs[0]!.summary.run.riskThreads).toBe(1)
    expect(runs[1]!.summary.run.riskThreads).toBe(2)
    expect(runs[1]!.summary.run.fullScans).toBeGreaterThan(0)
    expect(runs[1]!.summary.liquidations.count).toBeGreaterThan(0)
    expect(runs[0]!.journal.equals(runs[1]!.journal)).toBe(true)
    expect(runs[0]!.summary.journal.sha256).toBe(runs[1]!.summary.journal.sha256)
    // the scan kernel never shows either: the JavaScript one on 2 threads writes the same bytes
    const js = join(dir, 'js')
    const jsRun = cliWithEnv({ CASCADELAB_SCAN: 'js' }, 'run', scenario, '--seed', '3', '--out', js, '--quiet', '--threads', '2')
    expect(jsRun.code, jsRun.stderr).toBe(0)
    expect(readFileSync(join(js, 'journal.msgpack')).equals(runs[0]!.journal)).toBe(true)
    // and replay --verify on 2 threads re-derives that journal exactly
    const replay = cli('replay', join(dir, 't1', 'journal.msgpack'), '--verify', '--threads', '2')
    expect(replay.code, replay.stderr).toBe(0)
    expect(replay.stdout).toMatch(/every outcome and digest matches \(margin scans on 2 threads\)/)
  })

  it('rejects a bad thread count in one line', () => {
    for (const bad of ['0', '1.5', 'many', '65']) {
      const result = cli('run', '--threads', bad, '--out', join(tmpdir(), 'never'))
      expect(result.code).not.toBe(0)
      expect(result.stderr).toMatch(/threads must be an integer from 1 to 64/)
      expect(result.stderr).not.toMatch(/\n\s+at /)
    }
  })
})
