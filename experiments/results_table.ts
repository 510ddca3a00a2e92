// The results table of a sweep: one row per run (plan order) with its id, variant, seed, axis
// values and metrics (every column of the catalog in analysis/metrics.ts, read from the run's
// summary.json `metrics`, then liquidated notional per generation), written as CSV and as Parquet so pandas, polars, DuckDB or a spreadsheet
// read it directly. Only deterministic values go in (no wall times), so a resumed, sharded or
// merged sweep produces exactly the same table as one uninterrupted run. Parquet is written by
// DuckDB (loaded only here) from a typed table, single-threaded so the bytes are reproducible.

import { renameSync, rmSync } from 'node:fs'
import type { DuckDBAppender } from '@duckdb/node-api'
import { join } from 'node:path'
import { generationColumn, METRICS, type MetricUnit } from '../analysis/metrics.js'
import { writeFileAtomic } from './atomic_file.js'
import type { SweepRunSummary } from './sweep_record.js'

export type Cell = number | string | boolean | null
export type ColumnType = 'VARCHAR' | 'BIGINT' | 'DOUBLE' | 'BOOLEAN'
export interface Column { name: string; type: ColumnType }
export interface ResultsTable { columns: Column[]; rows: Cell[][] }

/** Integer-valued units are BIGINT columns, the rest DOUBLE. */
const columnType = (unit: MetricUnit): ColumnType => (unit === 'count' || unit === 'ms' ? 'BIGINT' : 'DOUBLE')

/** The table of `summaries` (sorted here by plan index) for sweep axes `axes`. */
export function buildResultsTable(axes: readonly string[], summaries: readonly SweepRunSummary[]): ResultsTable {
  const sorted = [...summaries].sort((a, b) => a.sweep.index - b.sweep.index)
  const generations = Math.max(0, ...sorted.map((s) => s.liquidations.byGeneration.length))
  const columns: Column[] = [
    { name: 'run', type: 'VARCHAR' }, { name: 'variant', type: 'BIGINT' }, { name: 'seed', type: 'BIGINT' },
    ...axes.map((path) => ({ name: path, type: paramType(sorted.map((s) => s.sweep.params[path] ?? null)) })),
    ...METRICS.map((m) => ({ name: m.name, type: columnType(m.unit) })),
    ...Array.from({ length: generations }, (_, g) => ({ name: generationColumn(g), type: 'DOUBLE' as const })),
    { name: 'journal_sha256', type: 'VARCHAR' }, { name: 'state_digest', type: 'VARCHAR' },
  ]
  const rows = sorted.map((s) => [
    s.sweep.runId, s.sweep.variant, s.seed,
    ...axes.map((path) => s.sweep.params[path] ?? null),
    ...METRICS.map((m) => s.metrics[m.name] ?? null),
    ...Array.from({ length: generations }, (_, g) => s.liquidations.byGeneration[g]?.notional ?? 0),
    s.journal.sha256, s.journal.finalStateDigest,
  ])
  return { columns, rows }
}

function paramType(values: readonly Cell[]): ColumnType {
  if (values.every((v) => typeof v === 'number' || v === null)) return 'DOUBLE'
  if (values.every((v) => typeof v === 'boolean' || v === null)) return 'BOOLEAN'
  return 'VARCHAR'
}

/** RFC 4180 CSV: a header row, numbers in JavaScript's shortest round-trip form, empty for null. */
export function tableCsv(table: ResultsTable): string {
  const cell = (value: Cell): string => {
    if (value === null) return ''
    // A text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading
    // apostrophe (OWASP's CSV-injection advice); numbers are written as numbers, signs and all.
    const text = typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : String(value)
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
  }
  const lines = [table.columns.map((c) => cell(c.name)).join(',')]
  for (const row of table.rows) lines.push(row.map(cell).join(','))
  return `${lines.join('\n')}\n`
}

/** Writes `table` as Parquet to `path` (temp file + rename). */
export async function writeParquet(table: ResultsTable, path: string): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api')
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' })
  const connection = await instance.connect()
  const temp = `${path}.tmp-${process.pid}`
  try {
    const quoted = (name: string): string => `"${name.replaceAll('"', '""')}"`
    await connection.run(`CREATE TABLE results (${table.columns.map((c) => `${quoted(c.name)} ${c.type}`).join(', ')})`)
    const appender = await connection.createAppender('results')
    for (const row of table.rows) {
      row.forEach((value, k) => appendCell(appender, table.columns[k]!.type, value))
      appender.endRow()
    }
    appender.closeSync()
    await connection.run(`COPY results TO '${temp.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION zstd)`)
    renameSync(temp, path)
  } finally {
    rmSync(temp, { force: true })
    connection.closeSync()
    instance.closeSync()
  }
}

function appendCell(appender: DuckDBAppender, type: ColumnType, value: Cell): void {
  if (value === null) return appender.appendNull()
  switch (type) {
    case 'VARCHAR': return appender.appendVarchar(String(value))
    case 'BIGINT': return appender.appendBigInt(BigInt(value as number))
    case 'DOUBLE': return appender.appendDouble(value as number)
    case 'BOOLEAN': return appender.appendBoolean(value as boolean)
    default: {
      const never: never = type
      throw new Error(`results table: unknown column type ${String(never)}`)
    }
  }
}

/** Writes `<dir>/<basename>.csv` and `.parquet`; returns both paths. */
export async function writeResults(dir: string, basename: string, table: ResultsTable): Promise<{ csv: string; parquet: string }> {
  const csv = join(dir, `${basename}.csv`)
  const parquet = join(dir, `${basename}.parquet`)
  writeFileAtomic(csv, tableCsv(table))
  await writeParquet(table, parquet)
  return { csv, parquet }
}
