// `cascadelab export JOURNAL --tables DIR`: the per-run tables of a journal as Parquet files
// (events, liquidations, accounts, timeseries; columns in docs/METRICS.md), from one pass over
// the journal through the same annotation and series operators as the live run. The
// whole journal is read and checked (every frame's CRC, the end frame) before any file is
// written; each file is written beside its target under a temp name and renamed only when every
// table is complete, so a torn or corrupt journal (a JournalError naming the byte offset) leaves
// DIR as it was.

import { existsSync, renameSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { Subject } from 'rxjs'
import { Annotator, type AnnotatedEvent } from '../analysis/annotated_event.js'
import { journalRecords } from '../analysis/event_stream.js'
import { collect } from '../analysis/run_analysis.js'
import { runSeries } from '../analysis/run_series.js'
import { UserError } from './errors.js'
import { openJournal } from './journal_file.js'
import { makeOutputDirectory } from './output_directory.js'
import { ParquetTable } from './parquet_table.js'
import { fillSeries, RunTables, SERIES_COLUMNS } from './run_tables.js'

export interface ExportOutcome { files: string[]; rows: Record<string, number> }

/** Exports `journalFile`'s tables into directory `dir` (created if absent). */
export async function exportTables(journalFile: string, dir: string): Promise<ExportOutcome> {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UserError(`${dir}: --tables must name a directory (a file is in the way)`)
  const reader = openJournal(journalFile)
  const venue = reader.header.venue
  const { DuckDBInstance } = await import('@duckdb/node-api')
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' })
  const connection = await instance.connect()
  const temps: string[] = []
  try {
    const tables = new RunTables(venue)
    const timeseries = new ParquetTable('timeseries', SERIES_COLUMNS)
    const all = [tables.events, tables.liquidations, tables.accounts, timeseries]
    for (const table of all) await table.open(connection)
    const annotator = new Annotator(venue)
    const stream = new Subject<AnnotatedEvent>()
    const series = collect(stream.pipe(runSeries()))
    for (const event of journalRecords(reader)) {
      tables.beforeEvent(event, annotator.annotated.ledger)
      const annotated = annotator.add(event)
      stream.next(annotated)
      tables.add(annotated)
    }
    stream.complete()
    tables.finishAccounts(annotator.annotated.ledger)
    fillSeries(timeseries, series())
    makeOutputDirectory(dir)
    const files = all.map((table) => join(dir, `${table.name}.parquet`))
    for (const [k, table] of all.entries()) {
      const temp = `${files[k]}.tmp-${process.pid}`
      temps.push(temp)
      await table.writeParquet(connection, temp)
    }
    files.forEach((file, k) => renameSync(temps[k]!, file))
    return { files, rows: Object.fromEntries(all.map((t) => [t.name, t.rows])) }
  } finally {
    for (const temp of temps) rmSync(temp, { force: true })
    connection.closeSync()
    instance.closeSync()
  }
}
