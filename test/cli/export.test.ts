// `cascadelab export JOURNAL --tables DIR`: Parquet tables read back with DuckDB agree with the
// run's summary.json (event counts by kind, notional by taker and generation, owners, deficits),
// columns have their types; a torn or corrupt journal exits 3 with the byte offset and writes
// nothing; bad arguments exit 2 on one line.

import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { runScenario, type RunReport } from '../../experiments/run_scenario.js'
import { cli, expectOneLineError } from '../helpers/cli.js'
import { smallScenario } from '../helpers/small_world.js'

const dir = mkdtempSync(join(tmpdir(), 'cascadelab-export-'))
const journal = join(dir, 'run', 'journal.msgpack')
let report: RunReport

/** Rows of a DuckDB query (values JSON-compatible: BIGINTs come back as strings). */
async function query(sql: string): Promise<Record<string, unknown>[]> {
  const { DuckDBInstance } = await import('@duckdb/node-api')
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[]
  } finally {
    connection.closeSync()
    instance.closeSync()
  }
}

beforeAll(async () => {
  report = await runScenario(smallScenario({
    venue: { insuranceFund: 0 }, liquidators: { count: 2 },
    price: { shocks: [{ atMs: 30_000, drop: 0.25, durationMs: 2_000 }] },
    population: { marginMode: 'isolated' },
  }), { outDir: join(dir, 'run'), seed: 3 })
}, 60_000)

describe('cascadelab export --tables', () => {
  it('writes events, liquidations, accounts and timeseries that agree with summary.json', async () => {
    const out = join(dir, 'tables')
    const r = cli('export', journal, '--tables', out)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(readdirSync(out).sort()).toEqual(['accounts.parquet', 'events.parquet', 'liquidations.parquet', 'timeseries.parquet'])
    const t = (name: string): string => `'${join(out, `${name}.parquet`)}'`
    // events: one row per event, in seq order, counts by kind as in the summary.
    const kinds = await query(`SELECT kind, count(*)::INTEGER AS n FROM ${t('events')} GROUP BY kind ORDER BY kind`)
    expect(Object.fromEntries(kinds.map((k) => [k.kind, k.n]))).toEqual(report.eventsByKind)
    expect(await query(`SELECT count(*)::INTEGER AS n, min(seq)::INTEGER AS lo, max(seq)::INTEGER AS hi, bool_and(seq = rn - 1) AS ordered
      FROM (SELECT seq, row_number() OVER () AS rn FROM ${t('events')})`)).toEqual([{ n: report.events, lo: 0, hi: report.events - 1, ordered: true }])
    const types = Object.fromEntries((await query(`DESCRIBE SELECT * FROM ${t('events')}`)).map((c) => [c.column_name, c.column_type]))
    expect(types).toMatchObject({ seq: 'BIGINT', t_ms: 'BIGINT', kind: 'VARCHAR', account: 'INTEGER', price: 'DOUBLE', liquidation: 'BOOLEAN', lots: 'INTEGER', price_ticks: 'INTEGER', generation: 'INTEGER' })
    const fees = await query(`SELECT round(sum(taker_fee) + sum(maker_fee), 6) AS fees FROM ${t('events')}`)
    expect(fees[0]!.fees).toBeCloseTo(report.fees, 6)
    // liquidations: every taker and generation adds up to the summary's totals.
    const byTaker = Object.fromEntries((await query(`SELECT taker, sum(notional) AS n FROM ${t('liquidations')} GROUP BY taker`)).map((r) => [r.taker, r.n as number]))
    expect(byTaker.book ?? 0).toBeCloseTo(report.liquidations.bookNotional, 3)
    expect(byTaker.liquidators ?? 0).toBeCloseTo(report.liquidations.liquidatorNotional, 3)
    expect(byTaker.backstop ?? 0).toBeCloseTo(report.liquidations.backstopNotional, 3)
    expect(byTaker.adl ?? 0).toBeCloseTo(report.liquidations.adlNotional, 3)
    expect(Object.keys(byTaker).length, 'this world reaches at least three takers').toBeGreaterThanOrEqual(3)
    const byGeneration = await query(`SELECT generation::INTEGER AS g, sum(notional) AS n FROM ${t('liquidations')} GROUP BY 1 ORDER BY 1`)
    expect(byGeneration.map((r) => r.g)).toEqual(report.liquidations.byGeneration.map((g) => g.generation))
    byGeneration.forEach((r, k) => expect(r.n as number).toBeCloseTo(report.liquidations.byGeneration[k]!.notional, 3))
    expect(await query(`SELECT count(*)::INTEGER AS n FROM ${t('liquidations')} WHERE step IS NULL OR generation IS NULL`)).toEqual([{ n: 0 }])
    // accounts: owners and compartments, negative equity, liquidated traders.
    const accounts = await query(`SELECT count(*)::INTEGER AS n, count(DISTINCT owner) FILTER (WHERE liquidated)::INTEGER AS owners,
      count(*) FILTER (WHERE liquidated)::INTEGER AS liquidated, count(*) FILTER (WHERE negative_equity)::INTEGER AS negative,
      round(sum(deficit), 6) AS deficit, count(*) FILTER (WHERE owner <> account)::INTEGER AS compartments FROM ${t('accounts')}`)
    expect(accounts[0]).toMatchObject({
      n: report.accounts.count + 1, owners: report.liquidations.owners, liquidated: report.liquidations.accounts,
      negative: report.negativeEquity.accounts, compartments: report.accounts.compartments,
    })
    expect(accounts[0]!.deficit as number).toBeCloseTo(report.negativeEquity.deficit, 6)
    expect(report.accounts.compartments).toBeGreaterThan(0)
    // timeseries: one row per simulated second.
    expect(await query(`SELECT count(*)::INTEGER AS n, max(t_ms)::INTEGER AS last FROM ${t('timeseries')}`)).toEqual([{ n: 121, last: 121_000 }])
  })

  it('run --tables (and sweep --tables, through the same runScenario option) writes the same tables as export', async () => {
    const outDir = join(dir, 'run-with-tables')
    await runScenario(smallScenario({
      venue: { insuranceFund: 0 }, liquidators: { count: 2 },
      price: { shocks: [{ atMs: 30_000, drop: 0.25, durationMs: 2_000 }] },
      population: { marginMode: 'isolated' },
    }), { outDir, seed: 3, tables: true })
    const exported = join(dir, 'tables-for-run')
    expect(cli('export', journal, '--tables', exported).code).toBe(0)
    for (const file of readdirSync(exported)) expect(readFileSync(join(outDir, 'tables', file)).equals(readFileSync(join(exported, file))), file).toBe(true)
  })

  it('is deterministic: a second export gives the same bytes', () => {
    const a = join(dir, 'again-a')
    const b = join(dir, 'again-b')
    expect(cli('export', journal, '--tables', a).code).toBe(0)
    expect(cli('export', journal, '--tables', b).code).toBe(0)
    for (const file of readdirSync(a)) expect(readFileSync(join(b, file)).equals(readFileSync(join(a, file))), file).toBe(true)
  })

  it.each([
    ['torn (truncated mid-frame)', (file: string) => truncateSync(file, statSync(file).size - 100)],
    ['corrupt (a byte flipped)', (file: string) => {
      const bytes = readFileSync(file)
      const k = Math.floor(bytes.length / 2)
      bytes[k] = bytes[k]! ^ 0xff
      writeFileSync(file, bytes)
    }],
  ])('a %s journal exits 3 with the byte offset and writes nothing', (_name, damage) => {
    const file = join(dir, `damaged-${_name.length}.msgpack`)
    copyFileSync(journal, file)
    damage(file)
    const out = join(dir, `damaged-out-${_name.length}`)
    mkdirSync(out)
    writeFileSync(join(out, 'keep.txt'), 'untouched')
    const r = cli('export', file, '--tables', out)
    expect(r.code).toBe(3)
    expectOneLineError(r.stderr, /offset \d+/)
    expect(readdirSync(out)).toEqual(['keep.txt'])
    const fresh = join(dir, `damaged-fresh-${_name.length}`)
    expect(cli('export', file, '--tables', fresh).code).toBe(3)
    expect(existsSync(fresh) ? readdirSync(fresh) : []).toEqual([])
  })

  it('bad arguments exit 2 on one line', () => {
    const noTables = cli('export', journal)
    expect(noTables.code).toBe(2)
    expectOneLineError(noTables.stderr, /--tables <dir> is required/)
    const missing = cli('export', join(dir, 'nope.msgpack'), '--tables', join(dir, 'x'))
    expect(missing.code).toBe(2)
    expectOneLineError(missing.stderr, /nope\.msgpack: no such journal file/)
    const help = cli('export', '--help')
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/pd\.read_parquet/)
  })
})
