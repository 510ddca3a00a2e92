// The cascadelab command line. Each command validates its input and reports user mistakes on
// one line (file, field, value) with a documented exit code; see `cascadelab --help`.

import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { Command, CommanderError, InvalidArgumentError } from 'commander'
import { JournalError } from '../engine/journal/journal_format.js'
import { JournalReader } from '../engine/journal/journal_reader.js'
import { replayJournal } from '../engine/replay.js'
import { RunSummaryBuilder } from '../analysis/run_summary.js'
import { EXIT, UserError } from './errors.js'
import { formatSummary } from './format_summary.js'
import { PACKAGE_VERSION } from './package_info.js'
import { createProgress } from './progress.js'
import { runScenario } from './run_scenario.js'
import { defaultScenario, loadScenarioFile, type Scenario } from './scenario.js'

const EXIT_CODES_HELP = `
Exit codes:
  0   success
  1   a check failed (replay diverged, an invariant broke under --check)
  2   bad input (unknown flag, invalid scenario, missing file)
  3   journal truncated or corrupt
  70  internal error (a bug: please report it with the command)`

function parseSeed(value: string): number {
  const seed = Number(value)
  if (!Number.isSafeInteger(seed) || seed < 0) throw new InvalidArgumentError(`seed must be a non-negative integer, got "${value}"`)
  return seed
}

function resolveScenario(name: string | undefined): Scenario {
  if (name === undefined || name === 'default') return defaultScenario()
  if (!existsSync(name)) throw new UserError(`${name}: no such scenario file (the built-in scenario is "default")`)
  return loadScenarioFile(name)
}

function openJournal(file: string): JournalReader {
  if (!existsSync(file) || !statSync(file).isFile()) throw new UserError(`${file}: no such journal file`)
  return new JournalReader(file)
}

function buildProgram(): Command {
  const program = new Command()
  program
    .name('cascadelab')
    .description('Deterministic simulator of liquidation cascades in cross-margin derivative venues.')
    .version(PACKAGE_VERSION)
    .addHelpText('after', EXIT_CODES_HELP)
    .showHelpAfterError('(run with --help for usage)')

  program
    .command('run')
    .description('run a scenario: writes <out>/journal.msgpack and <out>/summary.json, prints a summary')
    .argument('[scenario]', 'scenario file (.json/.yaml) or "default" (the embedded demo)', 'default')
    .option('--seed <n>', 'run seed (overrides the scenario\'s)', parseSeed)
    .option('--out <dir>', 'output directory (default: runs/<scenario>-seed<seed>)')
    .option('--check', 'check invariants after every event (slow)')
    .option('--quiet', 'no progress output')
    .option('--json', 'print the summary as JSON')
    .addHelpText('after', '\nExample:\n  cascadelab run --seed 7 --out runs/demo')
    .action(async (name: string, opts: { seed?: number; out?: string; check?: boolean; quiet?: boolean; json?: boolean }) => {
      const scenario = resolveScenario(name)
      const seed = opts.seed ?? scenario.seed
      const outDir = opts.out ?? join('runs', `${scenario.name}-seed${seed}`)
      const progress = createProgress(`run ${scenario.name}`, 1000, opts.quiet === true || opts.json === true)
      let report
      try {
        report = await runScenario(scenario, {
          outDir, seed, check: opts.check === true,
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
      process.stdout.write(`  speed              ${report.run.eventsPerSecond.toLocaleString('en-US')} events/s (${report.run.wallMs} ms wall)\n`)
      process.stdout.write(`  wrote              ${join(outDir, 'journal.msgpack')} (${report.journal.bytes.toLocaleString('en-US')} bytes), ${join(outDir, 'summary.json')}\n`)
    })

  program
    .command('replay')
    .description('re-apply a journal\'s inputs with no agents; with --verify, check every outcome and checkpoint digest')
    .argument('<journal>', 'journal file written by `cascadelab run`')
    .option('--verify', 'compare every re-derived outcome and state digest with the journal')
    .addHelpText('after', '\nExample:\n  cascadelab replay runs/demo/journal.msgpack --verify')
    .action((file: string, opts: { verify?: boolean }) => {
      const reader = openJournal(file)
      const result = replayJournal(reader, opts.verify === true)
      if (result.mismatch) {
        const m = result.mismatch
        process.stderr.write(`cascadelab: ${file}: replay diverged at seq ${m.seq}: ${m.detail}\n`)
        process.stderr.write(`  journal: ${JSON.stringify(m.expected)}\n  replay:  ${JSON.stringify(m.actual)}\n`)
        process.exitCode = EXIT.checkFailed
        return
      }
      const verb = opts.verify ? 'verified' : 'replayed'
      process.stdout.write(
        `${verb} ${file}: ${result.inputs} inputs, ${result.outcomes} outcomes, ${result.checkpoints} checkpoints` +
        `${opts.verify ? ' — every outcome and digest matches' : ''}\nfinal state digest ${result.digest}\n`,
      )
    })

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

  program
    .command('scenario')
    .description('print the embedded default scenario with every default value')
    .option('--print-defaults', 'print all defaults as JSON')
    .action(() => {
      process.stdout.write(`${JSON.stringify(defaultScenario(), null, 2)}\n`)
    })

  return program
}

/** Runs the CLI on `argv` (process.argv layout); sets process.exitCode. */
export async function main(argv: readonly string[]): Promise<void> {
  const program = buildProgram()
  program.exitOverride()
  program.commands.forEach((command) => command.exitOverride())
  try {
    await program.parseAsync(argv as string[])
  } catch (error) {
    process.exitCode = exitCodeFor(error)
  }
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version are successful exits; commander already printed usage errors.
    return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help'
      ? EXIT.ok
      : EXIT.badInput
  }
  if (error instanceof UserError) {
    process.stderr.write(`cascadelab: ${error.message}\n`)
    return error.exitCode
  }
  if (error instanceof JournalError) {
    process.stderr.write(`cascadelab: ${error.message}\n`)
    return EXIT.corruptJournal
  }
  process.stderr.write(`cascadelab: internal error (a bug — please report it with the command you ran)\n${(error as Error)?.stack ?? String(error)}\n`)
  return EXIT.internal
}
