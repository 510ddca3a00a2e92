// ParquetTable: every column kind round-trips through DuckDB and Parquet, nulls included, at the
// edges of its staging type; a value that does not fit its column is refused, not truncated.

import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ParquetTable } from '../../experiments/parquet_table.js'

describe('ParquetTable', () => {
  it('round-trips INTEGER, BIGINT, DOUBLE, BOOLEAN and TEXT cells with nulls, across chunk boundaries', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api')
    const instance = await DuckDBInstance.create(':memory:', { threads: '1' })
    const connection = await instance.connect()
    const table = new ParquetTable('t', [
      { name: 'i', kind: 'INTEGER' }, { name: 'b', kind: 'BIGINT' }, { name: 'd', kind: 'DOUBLE' }, { name: 'f', kind: 'BOOLEAN' }, { name: 's', kind: 'TEXT' },
    ])
    await table.open(connection)
    const rows = 5000 // more than two chunks of 2048
    const edge = (r: number) => [2 ** 31 - 1, -(2 ** 31) + 1, 0][r % 3]!
    for (let r = 0; r < rows; r++) {
      if (r % 7 !== 0) table.set(0, edge(r))
      if (r % 5 !== 0) table.set(1, 2 ** 40 + r)
      if (r % 4 !== 0) table.set(2, r / 3)
      if (r % 6 !== 0) table.set(3, r % 2 === 0)
      if (r % 9 !== 0) table.text(4, r % 2 === 0 ? "it's" : 'b')
      table.endRow()
    }
    const file = join(mkdtempSync(join(tmpdir(), 'cascadelab-parquet-')), 't.parquet')
    await table.writeParquet(connection, file)
    const read = (await connection.runAndReadAll(`SELECT * FROM '${file}'`)).getRowObjectsJson()
    connection.closeSync()
    instance.closeSync()
    expect(read).toHaveLength(rows)
    read.forEach((row, r) => {
      expect(row, `row ${r}`).toEqual({
        i: r % 7 === 0 ? null : edge(r),
        b: r % 5 === 0 ? null : String(2 ** 40 + r),
        d: r % 4 === 0 ? null : r / 3,
        f: r % 6 === 0 ? null : r % 2 === 0,
        s: r % 9 === 0 ? null : r % 2 === 0 ? "it's" : 'b',
      })
    })
  })

  it('refuses a value that does not fit its column', () => {
    const table = new ParquetTable('t', [{ name: 'i', kind: 'INTEGER' }, { name: 'b', kind: 'BIGINT' }])
    expect(() => table.set(0, 2 ** 31)).toThrow(/t\.i: 2147483648 does not fit a INTEGER column/)
    expect(() => table.set(0, -(2 ** 31))).toThrow(/does not fit/) // the null marker
    expect(() => table.set(0, 1.5)).toThrow(/does not fit/)
    expect(() => table.set(1, 2 ** 53)).toThrow(/t\.b: .* does not fit a BIGINT column/)
  })
})
