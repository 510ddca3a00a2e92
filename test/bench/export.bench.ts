// Export throughput: `cascadelab export --tables` (events, liquidations, accounts, timeseries as
// Parquet) of a journal of the default scenario, against the baseline of reading and decoding
// the same journal (every frame's CRC and msgpack), which any export must do. The target is a
// 1M-event journal in ≤ 10 s: ≥ 100,000 events/s. The default scenario's journal (~111k events)
// keeps `npm run bench` quick; CASCADELAB_BENCH_EXPORT_EVENTS=1000000 lengthens the run in
// proportion (events grow with simulated time) for the real figure. The journal is
// built once, outside the timed part, in .bench/export-scratch/ (git-ignored). Each iteration
// checks its row count and that its events.parquet has the same bytes as the previous one.

import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { bench, describe, expect } from 'vitest'
import { journalRecords } from '../../analysis/event_stream.js'
import { JournalReader } from '../../engine/journal/journal_reader.js'
import { resolveScenario } from '../../experiments/named_scenarios.js'
import { runScenario } from '../../experiments/run_scenario.js'
import { exportTables } from '../../experiments/table_export.js'

const EVENTS = Number(process.env.CASCADELAB_BENCH_EXPORT_EVENTS ?? 0)
const scratch = join(import.meta.dirname, '..', '..', '.bench', 'export-scratch')
rmSync(scratch, { recursive: true, force: true })
mkdirSync(scratch, { recursive: true })
const scenario = resolveScenario('default')
let report = await runScenario(scenario, { outDir: join(scratch, 'run'), seed: 7, timeSeries: false })
if (EVENTS > 0) {
  // Lengthen the run in proportion to the default run's events per simulated minute (the world's
  // activity changes as the project does, so it is measured rather than assumed).
  scenario.durationMs = Math.round((EVENTS / report.events) * scenario.durationMs / 60_000) * 60_000
  report = await runScenario(scenario, { outDir: join(scratch, 'run'), seed: 7, timeSeries: false })
}
const journal = join(scratch, 'run', 'journal.msgpack')
const digests: string[] = []

describe(`export tables of the default scenario's journal [events=${report.events}]`, () => {
  // The target applies to the 1M-event journal; the default journal's figure carries ~1 s of fixed
  // cost (DuckDB instance, four tables and files), so it is reported without a target.
  bench(EVENTS >= 1_000_000 ? 'export --tables, 1M-event journal' : 'export --tables: events, liquidations, accounts, timeseries', async () => {
    const out = join(scratch, 'tables')
    const outcome = await exportTables(journal, out)
    expect(outcome.rows.events).toBe(report.events)
    digests.push(createHash('sha256').update(readFileSync(join(out, 'events.parquet'))).digest('hex'))
    expect(digests.every((d) => d === digests[0])).toBe(true)
  }, { time: 0, iterations: 3, warmupIterations: 1 })

  bench('baseline: read and decode the journal', () => {
    let n = 0
    for (const event of journalRecords(new JournalReader(journal))) n += event.seq >= 0 ? 1 : 0
    expect(n).toBe(report.events)
  }, { time: 0, iterations: 3, warmupIterations: 1 })
})
