// Sweeps through the CLI: the results table (CSV and Parquet, read back by DuckDB); a sweep
// killed mid-way and rerun resumes without redoing finished runs and yields the same table as
// an uninterrupted one; shards 1/3, 2/3, 3/3 merged equal the whole; a different plan in the
// same directory and a merge with missing runs are refused with one-line errors.

import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BIN, cli, readParquetRows } from '../helpers/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'cascadelab-sweep-'))
const sweepFile = join(dir, 'sweep.yaml')
writeFileSync(sweepFile, `
name: test-sweep
description: "fund & depth <small>"
base: default
set:
  durationMs: 300000
  checkpointEvery: 5000
  price.shocks.0.atMs: 60000
  price.shocks.0.durationMs: 5000
  marketMakers.count: 2
  marketMakers.lotsPerLevel: 60
  noiseTraders.count: 3
  population.pairs: 60
axes:
  - { path: venue.insuranceFund, values: [0, 100000] }
  - { path: price.shocks.0.drop, values: [0.06, 0.12] }
seeds: [1, 2]
`)
const RUNS = 8
const whole = join(dir, 'whole')

function finished(out: string): string[] {
  const runs = join(out, 'runs')
  if (!existsSync(runs)) return []
  return readdirSync(runs).filter((id) => existsSync(join(runs, id, 'summary.json'))).sort()
}

describe('cascadelab sweep', () => {
  it('runs every variant × seed on 2 workers and writes the table as CSV and Parquet', async () => {
    const r = cli('sweep', sweepFile, '--out', whole, '--workers', '2')
    expect(r.stderr).toMatch(/sweep test-sweep: \d+\/8 runs, [\d.]+ runs\/s, ETA/) // plain progress lines off a TTY
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/8 runs \(8 run now in [\d.]+ s \([\d.]+ runs\/s\), 0 already finished\)/)
    const csv = readFileSync(join(whole, 'results.csv'), 'utf8').trim().split('\n')
    expect(csv).toHaveLength(RUNS + 1)
    const header = csv[0]!.split(',')
    expect(header.slice(0, 5)).toEqual(['run', 'variant', 'seed', 'venue.insuranceFund', 'price.shocks.0.drop'])
    expect(header).toEqual(expect.arrayContaining(['amplification', 'liquidated_notional', 'bad_debt', 'liquidated_notional_adl', 'share_backstop', 'first_liquidation_ms', 'negative_equity_deficit', 'fraction_liquidated', 'loss_p99', 'journal_sha256']))
    const rows = await readParquetRows(join(whole, 'results.parquet'))
    expect(rows).toHaveLength(RUNS)
    csv.slice(1).forEach((line, k) => {
      const cells = line.split(',')
      header.forEach((column, c) => {
        const value = rows[k]![column]
        expect(String(value ?? ''), `${column} of row ${k}`).toBe(cells[c])
      })
    })
    // Each run directory holds its summary (with the variant's patches) and time series.
    const summary = JSON.parse(readFileSync(join(whole, 'runs', 'run-00005', 'summary.json'), 'utf8'))
    expect(summary.sweep).toMatchObject({ runId: 'run-00005', variant: 2, params: { 'venue.insuranceFund': 100000, 'price.shocks.0.drop': 0.06 } })
    expect(summary.sweep.patches).toEqual(expect.arrayContaining([{ op: 'replace', path: ['venue', 'insuranceFund'], value: 100000 }]))
    expect(readFileSync(join(whole, 'runs', 'run-00005', 'timeseries.csv'), 'utf8')).toMatch(/^t_ms,external_price/)
    // The table reads each run's own summary: liquidated notional (all takers) and its generations agree.
    for (const row of rows) {
      const run = JSON.parse(readFileSync(join(whole, 'runs', String(row.run), 'summary.json'), 'utf8'))
      expect(row.liquidated_notional).toBe(run.liquidations.notional)
      expect(row.liquidated_notional_adl).toBe(run.liquidations.adlNotional)
      run.liquidations.byGeneration.forEach((g: { generation: number; notional: number }) => expect(row[`liquidated_notional_gen_${g.generation}`]).toBe(g.notional))
    }
    // Higher insurance fund, same seed and drop: the fund's path differs (its takeovers and their
    // unwinding are flow, so the liquidations may differ too).
    expect(rows[1]!.insurance_fund_min).not.toBe(rows[5]!.insurance_fund_min)
  })

  it('killed mid-way and rerun, it resumes without redoing finished runs and yields the same table', async () => {
    const out = join(dir, 'killed')
    const child = spawn(process.execPath, [BIN, 'sweep', sweepFile, '--out', out, '--workers', '1', '--quiet'], { stdio: 'ignore' })
    const exited = new Promise((resolve) => child.on('exit', resolve))
    while (finished(out).length < 2) await new Promise((resolve) => setTimeout(resolve, 10))
    child.kill('SIGKILL')
    await exited
    const before = finished(out)
    expect(before.length).toBeGreaterThanOrEqual(2)
    expect(before.length).toBeLessThan(RUNS) // really interrupted
    const stamps = before.map((id) => statSync(join(out, 'runs', id, 'summary.json'), { bigint: true }))
    const r = cli('sweep', sweepFile, '--out', out, '--workers', '1')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`(${RUNS - before.length} run now`)
    expect(r.stdout).toContain(`${before.length} already finished)`)
    expect(r.stderr).toContain(`${before.length}/${RUNS} runs already finished, resuming`)
    before.forEach((id, k) => {
      const now = statSync(join(out, 'runs', id, 'summary.json'), { bigint: true })
      expect([now.ino, now.mtimeNs]).toEqual([stamps[k]!.ino, stamps[k]!.mtimeNs]) // not redone
    })
    expect(readFileSync(join(out, 'results.csv'), 'utf8')).toBe(readFileSync(join(whole, 'results.csv'), 'utf8'))
  })

  it('shards 1/3, 2/3 and 3/3 merged give exactly the single-machine table', async () => {
    const shards = [1, 2, 3].map((k) => {
      const out = join(dir, `shard-${k}`)
      const r = cli('sweep', sweepFile, '--out', out, '--workers', '1', '--shard', `${k}/3`, '--quiet')
      expect(r.code).toBe(0)
      expect(existsSync(join(out, `results-shard-${k}-of-3.csv`))).toBe(true)
      return out
    })
    expect(shards.map((s) => finished(s).length)).toEqual([3, 3, 2])
    const merged = join(dir, 'merged')
    const r = cli('merge', ...shards, '--out', merged)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/merged sweep test-sweep: 8 runs \(8 imported/)
    expect(readFileSync(join(merged, 'results.csv'), 'utf8')).toBe(readFileSync(join(whole, 'results.csv'), 'utf8'))
    expect(await readParquetRows(join(merged, 'results.parquet'))).toEqual(await readParquetRows(join(whole, 'results.parquet')))
    expect(finished(merged)).toHaveLength(RUNS)
  })

  it('merging without every shard names the missing runs; another plan in the same directory is refused', () => {
    let r = cli('merge', join(dir, 'shard-1'), join(dir, 'shard-3'), '--out', join(dir, 'partial'))
    expect(r.code).toBe(2)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/merge: 3 of 8 runs are not finished .*\(run-00001, run-00004, run-00007\)/)
    const other = join(dir, 'other.yaml')
    writeFileSync(other, readFileSync(sweepFile, 'utf8').replace('seeds: [1, 2]', 'seeds: [1, 2, 3]'))
    r = cli('sweep', other, '--out', whole, '--quiet')
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/whole\/sweep\.json: this directory holds sweep "test-sweep" with a different plan/)
  })

  it('bad sweep files fail on one line naming the file and field', () => {
    const bad = join(dir, 'bad.yaml')
    writeFileSync(bad, 'name: bad\naxes:\n  - { path: marketMakers.lotsPerLevl, values: [1, 2] }\n')
    const r = cli('sweep', bad, '--out', join(dir, 'bad'))
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^cascadelab: .*bad\.yaml: axes\.0\.path: no scenario field "marketMakers\.lotsPerLevl"\n$/)
    expect(existsSync(join(dir, 'bad'))).toBe(false)
  })
})
