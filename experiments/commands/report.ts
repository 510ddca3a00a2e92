// `cascadelab report`: one self-contained HTML report of a run or a sweep directory.

import type { Command } from 'commander'
import { writeReport } from '../report_writer.js'

/** Registers `report` on the program. */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write a self-contained HTML report (inline SVG charts, no network) of a run or sweep directory')
    .argument('<dir>', 'a run directory (summary.json + journal) or a sweep directory (sweep.json)')
    .option('--out <file>', 'report file (default: <dir>/report.html)')
    .addHelpText('after', '\nExamples:\n  cascadelab report runs/demo\n  cascadelab report sweeps/fund-vs-depth --out fund-vs-depth.html\n  cascadelab reproduce runs/demo/report.html')
    .action(async (dir: string, opts: { out?: string }) => {
      const outcome = await writeReport(dir, opts.out, ['cascadelab', ...process.argv.slice(2)])
      const note = outcome.missing > 0 ? ` (${outcome.missing} unfinished runs left out)` : ''
      process.stdout.write(`wrote ${outcome.file}: ${outcome.kind} report of ${outcome.runs} run${outcome.runs === 1 ? '' : 's'}${note}\n`)
    })
}
