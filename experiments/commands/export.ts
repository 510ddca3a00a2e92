// `cascadelab export`: a journal's per-run tables as Parquet (experiments/table_export.ts).

import type { Command } from 'commander'
import { UserError } from '../errors.js'
import { exportTables } from '../table_export.js'

/** Registers `export` on the program. */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description('write a journal\'s tables as Parquet: events, liquidations, accounts, timeseries')
    .argument('<journal>', 'journal file')
    .option('--tables <dir>', 'directory for events.parquet, liquidations.parquet, accounts.parquet, timeseries.parquet (required)')
    .addHelpText('after', `
Tables (every column's unit and definition: docs/METRICS.md):
  events        one row per event: seq, t_ms, cause, kind, generation, account, counterparty,
                instrument, side, price, lots, notional, amount, fees, equity, detail, …
                (null where a field does not apply to the event's kind)
  liquidations  one row per closing outcome: seq, step, generation, account, owner, cause,
                taker (book, liquidators, backstop, adl), lots, price, notional
  accounts      one row per account: owner, mode, deposits, equity after setup and at the end,
                min health seen, liquidation steps, liquidated notional, negative equity, deficit
  timeseries    one row per simulated second: prices, insurance fund, bad debt, liquidations

The journal is read and checked completely before anything is written; files appear under their
names only when all four are complete. A torn or corrupt journal exits 3 with the byte offset.

Read them with one line:
  python -c "import pandas as pd; print(pd.read_parquet('tables/liquidations.parquet'))"
  python -c "import polars as pl; print(pl.read_parquet('tables/events.parquet'))"
  duckdb -c "SELECT taker, sum(notional) FROM 'tables/liquidations.parquet' GROUP BY taker"

Examples:
  cascadelab export runs/demo/journal.msgpack --tables runs/demo/tables`)
    .action(async (file: string, opts: { tables?: string }) => {
      if (opts.tables === undefined) throw new UserError('export: --tables <dir> is required (the directory to write the Parquet tables to)')
      const outcome = await exportTables(file, opts.tables)
      const rows = Object.entries(outcome.rows).map(([name, n]) => `${name} ${n.toLocaleString('en-US')}`).join(', ')
      process.stdout.write(`wrote ${outcome.files.join(', ')} (rows: ${rows})\n`)
    })
}
