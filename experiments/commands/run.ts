// `cascadelab run`: runs a scenario, writes journal and summary, prints the summary.

import { join } from 'node:path'
import { defaultOutputDirectory } from '../output_directory.js'
import type { Command } from 'commander'
import { formatSummary } from '../format_summary.js'
import { parseSeed, parseThreads } from '../integer_option.js'
import { namedScenarios, resolveScenario } from '../named_scenarios.js'
import { PACKAGE_VERSION } from '../package_info.js'
import { createProgress } from '../progress.js'
import { runScenario } from '../run_scenario.js'
import { RISK_POOL_CROSSOVER_ACCOUNTS } from '../../engine/risk/risk_evaluator.js'

/** Registers `run` on the program. */
export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a scenario: writes <out>/journal.msgpack and <out>/summary.json, prints a summary')
    .argument('[scenario]', 'a named scenario (see `cascadelab scenario --list`) or a scenario file (.json/.yaml)', 'default')
    .option('--seed <n>', 'run seed (overrides the scenario\'s)', parseSeed)
    .option('--out <dir>', 'output directory (default: runs/<scenario>-seed<seed>)')
    .option('--check', 'check invariants after every event (slow)')
    .option('--quiet', 'no progress output')
    .option('--json', 'print the summary as JSON')
    .option('--tables', 'also write the Parquet tables of `cascadelab export` into <out>/tables')
    .option('--threads <n>', `threads for full margin scans: 1 = sequential, N = a pool of N workers (default: 2 from ${RISK_POOL_CROSSOVER_ACCOUNTS.toLocaleString('en-US')} accounts on a multi-core machine, else 1); never changes results`, parseThreads)
    .addHelpText('after', () => `\nNamed scenarios: ${namedScenarios().join(', ')}\n\nExamples:\n  cascadelab run --seed 7 --out runs/demo\n  cascadelab run thin-book-flash-crash\n  cascadelab run my-scenario.yaml --seed 3\n  cascadelab run experiments/examples/custom-agent.yaml   # your own agent module: docs/agents.md`)
    .action(async (name: string, opts: { seed?: number; out?: string; check?: boolean; quiet?: boolean; json?: boolean; threads?: number; tables?: boolean }) => {
      const scenario = resolveScenario(name)
      const seed = opts.seed ?? scenario.seed
      const outDir = opts.out ?? defaultOutputDirectory('runs', `${scenario.name}-seed${seed}`)
      const progress = createProgress(`run ${scenario.name}`, 1000, opts.quiet === true || opts.json === true)
      let report
      try {
        report = await runScenario(scenario, {
          outDir, seed, check: opts.check === true, threads: opts.threads, tables: opts.tables === true, command: ['cascadelab', ...process.argv.slice(2)],
          onProgress: (fraction) => progress.update(Math.round(fraction * 1000), `${(fraction * scenario.durationMs / 60_000).toFixed(1)} sim min`),
        })
      } finally {
        progress.stop()
      }
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
        return
      }
      process.stdout.write(`${formatSummary(report, `cascadelab ${PACKAGE_VERSION} · scenario ${scenario.name} · seed ${seed}`)}\n`)
      for (const warning of report.warnings ?? []) process.stdout.write(`  warning            ${warning}\n`)
      process.stdout.write(`  speed              ${report.run.eventsPerSecond.toLocaleString('en-US')} events/s (${report.run.wallMs} ms wall; ${report.run.fullScans} full margin scans on ${report.run.riskThreads} thread${report.run.riskThreads > 1 ? 's' : ''})\n`)
      const tables = opts.tables ? `, ${join(outDir, 'tables')}/` : ''
      process.stdout.write(`  wrote              ${join(outDir, 'journal.msgpack')} (${report.journal.bytes.toLocaleString('en-US')} bytes), ${join(outDir, 'summary.json')}${tables}\n`)
    })
}
