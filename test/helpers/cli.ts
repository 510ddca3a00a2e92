// Running the built `cascadelab` binary from tests (npm test builds first), and reading its tables.

import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { expect } from 'vitest'

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'cascadelab.js')

/** Runs the CLI synchronously; returns exit code and output. */
export function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  return cliWithEnv({}, ...args)
}

/** As cli(), with `env` added to this process's environment. */
export function cliWithEnv(env: Record<string, string>, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** Asserts a user error: one line starting `cascadelab: `, matching `pattern`, no stack trace. */
export function expectOneLineError(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n')
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(/^cascadelab: /)
  expect(lines[0]).toMatch(pattern)
  expect(stderr).not.toMatch(/\n\s+at /) // no stack trace
}

/** All rows of a Parquet file read by DuckDB, values as JSON-compatible strings/numbers. */
export async function readParquetRows(file: string): Promise<Record<string, unknown>[]> {
  const { DuckDBInstance } = await import('@duckdb/node-api')
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  try {
    const reader = await connection.runAndReadAll(`SELECT * FROM read_parquet('${file.replaceAll("'", "''")}')`)
    return reader.getRowObjectsJson() as Record<string, unknown>[]
  } finally {
    connection.closeSync()
    instance.closeSync()
  }
}
