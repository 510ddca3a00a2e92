// A typed table built row by row in memory-bounded chunks and written as Parquet by DuckDB —
// for tables of millions of rows (one per journal event), where appending cell by cell through
// the appender is too slow. Cells are staged in per-column typed arrays — int32 for INTEGER,
// BOOLEAN and TEXT columns (null = INT32_MIN), float64 for DOUBLE and BIGINT ones (null = NaN;
// integers exact to 2^53) — and every CHUNK_ROWS rows go to DuckDB as one data chunk; the
// COPY's SELECT casts each column to its type and turns the null markers back into NULL:
//
//   set(k, v) ──► staged[k]: Int32Array | Float64Array ──(CHUNK_ROWS rows)──► DataChunk ──► appender ──► table
//                                   COPY (SELECT CAST(…) / NULL for the marker / text from code) TO tmp.parquet
//
// (DuckDB's appender takes int32 columns about twice as fast as float64 ones.)
//
// Text columns are dictionary-coded while staged (codes in order of first appearance) and decoded
// in the SELECT, so no string crosses into DuckDB per row. Values are checked against their
// staging type (int32 range, or exact integers up to 2^53). Goals: typed columns, nulls where a field does not apply, reproducible bytes
// (one DuckDB thread, insertion order kept). Non-goals: reading tables back, schema evolution.

import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api'

export type ColumnKind = 'BIGINT' | 'INTEGER' | 'DOUBLE' | 'BOOLEAN' | 'TEXT'
export interface TableColumn { name: string; kind: ColumnKind }

/** Rows per DuckDB data chunk (DuckDB's standard vector size). */
const CHUNK_ROWS = 2048
/** The null marker of int32-staged columns (never a valid value there). */
const NULL_INT32 = -2147483648
const stagedAsInt32 = (kind: ColumnKind): boolean => kind === 'INTEGER' || kind === 'BOOLEAN' || kind === 'TEXT'

/** One table being filled: set the cells of a row, endRow(), and finally writeParquet(). */
export class ParquetTable {
  private readonly staged: (Int32Array | Float64Array)[]
  private readonly dictionaries: (Map<string, number> | null)[]
  private row = 0
  private appender: DuckDBAppender | null = null
  private chunk: import('@duckdb/node-api').DuckDBDataChunk | null = null
  /** Rows appended so far. */
  rows = 0

  constructor(readonly name: string, readonly columns: readonly TableColumn[]) {
    this.staged = columns.map((c) => (stagedAsInt32(c.kind) ? new Int32Array(CHUNK_ROWS).fill(NULL_INT32) : new Float64Array(CHUNK_ROWS).fill(NaN)))
    this.dictionaries = columns.map((c) => (c.kind === 'TEXT' ? new Map() : null))
  }

  /** Creates the staging table and its appender on `connection` (before the first endRow). */
  async open(connection: DuckDBConnection): Promise<void> {
    const duckdb = await import('@duckdb/node-api')
    // One chunk, reused: the appender copies what it is given.
    this.chunk = duckdb.DuckDBDataChunk.create(this.columns.map((c) => (stagedAsInt32(c.kind) ? duckdb.INTEGER : duckdb.DOUBLE)), CHUNK_ROWS)
    const staging = (c: TableColumn): string => `${quote(c.name)} ${stagedAsInt32(c.kind) ? 'INTEGER' : 'DOUBLE'}`
    await connection.run(`CREATE TABLE ${quote(this.name)} (${this.columns.map(staging).join(', ')})`)
    this.appender = await connection.createAppender(this.name)
  }

  /** Sets column `k` of the current row (numbers, booleans; null leaves it empty). */
  set(k: number, value: number | boolean | null): void {
    if (value === null) return
    const x = typeof value === 'boolean' ? (value ? 1 : 0) : value
    const kind = this.columns[k]!.kind
    const fits = kind === 'DOUBLE' || (stagedAsInt32(kind) ? (x | 0) === x && x !== NULL_INT32 : Number.isSafeInteger(x))
    if (!fits) throw new Error(`${this.name}.${this.columns[k]!.name}: ${x} does not fit a ${kind} column`)
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
    const isNull = (c: TableColumn): string => (stagedAsInt32(c.kind) ? `${quote(c.name)} = ${NULL_INT32}` : `isnan(${quote(c.name)})`)
    const select = this.columns.map((c, k) => `CASE WHEN ${isNull(c)} THEN NULL ELSE ${this.decode(c, k)} END AS ${quote(c.name)}`)
    await connection.run(`COPY (SELECT ${select.join(', ')} FROM ${quote(this.name)}) TO '${file.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION zstd)`)
  }

  /** SQL turning staged column `c` (not null) into its type. */
  private decode(c: TableColumn, k: number): string {
    const name = quote(c.name)
    switch (c.kind) {
      case 'DOUBLE': return name
      case 'BIGINT': return `CAST(${name} AS BIGINT)`
      case 'INTEGER': return name
      case 'BOOLEAN': return `${name} <> 0`
      case 'TEXT': {
        const values = [...this.dictionaries[k]!.keys()].map((v) => `'${v.replaceAll("'", "''")}'`)
        return values.length === 0 ? 'CAST(NULL AS VARCHAR)' : `([${values.join(', ')}])[${name} + 1]`
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
      // Fast path: the vector's own typed buffer (a non-public field of @duckdb/node-api); the
      // public setItem, one call per cell, otherwise. Both leave every item valid.
      const items = (vector as unknown as { items?: unknown }).items
      if ((items instanceof Float64Array || items instanceof Int32Array) && items.constructor === staged.constructor && items.length >= n) {
        items.set(staged.subarray(0, n))
      } else {
        for (let i = 0; i < n; i++) vector.setItem(i, staged[i]!)
      }
      vector.flush()
      staged.fill(staged instanceof Int32Array ? NULL_INT32 : NaN)
    })
    this.appender!.appendDataChunk(chunk)
    this.row = 0
  }
}

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`
