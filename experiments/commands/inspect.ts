// `cascadelab inspect`: the run summary re-computed from a journal alone.

import type { Command } from 'commander'
import { RunSummaryBuilder } from '../../analysis/run_summary.js'
import { formatSummary } from '../format_summary.js'
import { openJournal } from '../journal_file.js'

/** Registers `inspect` on the program. */
export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('summarise a journal: header, event counts, price path, liquidations by generation')
    .argument('<journal>', 'journal file')
    .option('--json', 'print JSON')
    .action((file: string, opts: { json?: boolean }) => {
      const reader = openJournal(file)
      const builder = new RunSummaryBuilder(reader.header.venue)
      for (const frame of reader.frames()) {
        const record = frame.record
        if (record.kind !== 'Checkpoint' && record.kind !== 'End') builder.add(record)
      }
      const summary = builder.finish()
      const scenarioName = (reader.header.scenario as { name?: string } | null)?.name ?? '?'
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ header: { ...reader.header, scenario: undefined, scenarioName }, summary }, null, 2)}\n`)
        return
      }
      process.stdout.write(`${formatSummary(summary, `${file} · cascadelab ${reader.header.packageVersion} · scenario ${scenarioName} · seed ${reader.header.seed}`)}\n`)
    })
}
