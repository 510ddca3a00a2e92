// A typed table built row by row in memory-bounded chunks and written as Parquet by DuckDB —
// for tables of millions of rows (one per journal event), where appending cell by cell through
// the appender is too slow. Every cell is staged as a float64 (NaN = null) in per-column arrays;
// every CHUNK_ROWS rows go to DuckDB as one data chunk of DOUBLE columns, and the COPY's SELECT
// casts each column to its type and turns NaN back into NULL:
//
//   set(k, v) ──► staged[k]: Float64Array ──(CHUNK_ROWS rows)──► DataChunk ──► appender ──► DOUBLE table
//                                        COPY (SELECT CAST(…) / NULL for NaN / text from code) TO tmp.parquet
//
// Text columns are dictionary-coded while staged (codes in order of first appearance) and decoded
// in the SELECT, so no string crosses into DuckDB per row. Integers staged as float64 are exact up
// to 2^53 (asserted). Goals: typed columns, nulls where a field does not apply, reproducible bytes
// (one DuckDB thread, insertion order kept). Non-goals: reading tables back, schema evolution.

import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api'

export type ColumnKind = 'BIGINT' | 'INTEGER' | 'DOUBLE' | 'BOOLEAN' | 'TEXT'
export interface TableColumn { name: string; kind: ColumnKind }

/** Rows per DuckDB data chunk (DuckDB's standard vector size). */
const CHUNK_ROWS = 2048

/** One table being filled: set the cells of a row, endRow(), and finally writeParquet(). */
export class ParquetTable {
  private readonly staged: Float64Array[]
  private readonly dictionaries: (Map<string, number> | null)[]
  private row = 0
  private appender: DuckDBAppender | null = null
  private chunk: import('@duckdb/node-api').DuckDBDataChunk | null = null
  /** Rows appended so far. */
  rows = 0

  constructor(readonly name: string, readonly columns: readonly TableColumn[]) {
    this.staged = columns.map(() => new Float64Array(CHUNK_ROWS).fill(NaN))
    this.dictionaries = columns.map((c) => (c.kind === 'TEXT' ? new Map() : null))
  }

  /** Creates the staging table and its appender on `connection` (before the first endRow). */
  async open(connection: DuckDBConnection): Promise<void> {
    const duckdb = await import('@duckdb/node-api')
    // One chunk, reused: the appender copies what it is given.
    this.chunk = duckdb.DuckDBDataChunk.create(this.columns.map(() => duckdb.DOUBLE), CHUNK_ROWS)
    await connection.run(`CREATE TABLE ${quote(this.name)} (${this.columns.map((c) => `${quote(c.name)} DOUBLE`).join(', ')})`)
    this.appender = await connection.createAppender(this.name)
  }

  /** Sets column `k` of the current row (numbers, booleans; null leaves it empty). */
  set(k: number, value: number | boolean | null): void {
    if (value === null) return
    const x = typeof value === 'boolean' ? (value ? 1 : 0) : value
    if (!(Number.isSafeInteger(x) || this.columns[k]!.kind === 'DOUBLE')) throw new Error(`${this.name}.${this.columns[k]!.name}: ${x} is not an exact integer`)
    this.staged[k]![this.row] = x
  }

  /** Sets text column `k` of the current row. */
  text(k: number, value: string): void {
    const dictionary = this.dictionaries[k]!
    let code = dictionary.get(value)
    if (code === undefined) {
      code = dictionary.size
      dictionary.set(value, code)
    }
    this.staged[k]![this.row] = code
  }

  /** Ends the current row; unset cells are null. */
  endRow(): void {
    this.row++
    this.rows++
    if (this.row === CHUNK_ROWS) this.flush()
  }

  /** Appends what is staged, closes the appender and writes the table to `file` as Parquet. */
  async writeParquet(connection: DuckDBConnection, file: string): Promise<void> {
    this.flush()
    this.appender!.closeSync()
    const select = this.columns.map((c, k) => `CASE WHEN isnan(${quote(c.name)}) THEN NULL ELSE ${this.decode(c, k)} END AS ${quote(c.name)}`)
    await connection.run(`COPY (SELECT ${select.join(', ')} FROM ${quote(this.name)}) TO '${file.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION zstd)`)
  }

  /** SQL turning staged column `c` (a non-NaN double) into its type. */
  private decode(c: TableColumn, k: number): string {
    const name = quote(c.name)
    switch (c.kind) {
      case 'DOUBLE': return name
      case 'BIGINT': case 'INTEGER': return `CAST(${name} AS ${c.kind})`
      case 'BOOLEAN': return `${name} <> 0`
      case 'TEXT': {
        const values = [...this.dictionaries[k]!.keys()].map((v) => `'${v.replaceAll("'", "''")}'`)
        return values.length === 0 ? 'CAST(NULL AS VARCHAR)' : `([${values.join(', ')}])[CAST(${name} AS INTEGER) + 1]`
      }
      default: {
        const never: never = c.kind
        throw new Error(`parquet table: unknown column kind ${String(never)}`)
      }
    }
  }

  private flush(): void {
    const n = this.row
    if (n === 0) return
    const chunk = this.chunk!
    if (n !== CHUNK_ROWS) chunk.rowCount = n // the last chunk only
    this.staged.forEach((staged, k) => {
      const vector = chunk.getColumnVector(k)
      // Fast path: the vector's own float64 buffer (a non-public field of @duckdb/node-api);
      // the public setItem, one call per cell, otherwise. Both leave every item valid.
      const items = (vector as unknown as { items?: unknown }).items
      if (items instanceof Float64Array && items.length >= n) items.set(staged.subarray(0, n))
      else for (let i = 0; i < n; i++) vector.setItem(i, staged[i]!)
      vector.flush()
      staged.fill(NaN)
    })
    this.appender!.appendDataChunk(chunk)
    this.row = 0
  }
}

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`
