// The cascadelab command line. Each command lives in experiments/commands/<name>.ts and is
// registered here; commands validate their input and report user mistakes on one line (file,
// field, value) with a documented exit code; see `cascadelab --help`.

import { Command, CommanderError } from 'commander'
import { JournalError } from '../engine/journal/journal_format.js'
import { registerBench } from './commands/bench.js'
import { registerExport } from './commands/export.js'
import { registerInspect } from './commands/inspect.js'
import { registerMargin } from './commands/margin.js'
import { registerMerge } from './commands/merge.js'
import { registerReplay } from './commands/replay.js'
import { registerReport } from './commands/report.js'
import { registerReproduce } from './commands/reproduce.js'
import { registerRun } from './commands/run.js'
import { registerScenario } from './commands/scenario.js'
import { registerSweep } from './commands/sweep.js'
import { environmentFailure, EXIT, UserError } from './errors.js'
import { PACKAGE_VERSION } from './package_info.js'

const EXIT_CODES_HELP = `
Exit codes:
  0   success
  1   a check failed (replay diverged, an invariant broke under --check, a report did not reproduce)
  2   bad input (unknown flag, invalid scenario or margin file, missing file)
  3   journal truncated or corrupt
  4   the environment refused (a path cannot be created or written: permission, read-only,
      full disk, not a directory…; the message names the path)
  70  internal error (a bug: please report it with the command; also a sweep whose runs failed)`

/** Every command, in the order --help lists them. */
const COMMANDS: ((program: Command) => void)[] = [
  registerRun, registerReplay, registerInspect, registerExport, registerScenario, registerMargin, registerSweep, registerMerge, registerReport, registerReproduce, registerBench,
]

function buildProgram(): Command {
  const program = new Command()
  program
    .name('cascadelab')
    .description('Deterministic simulator of liquidation cascades in cross-margin derivative venues.')
    .version(PACKAGE_VERSION)
    .addHelpText('after', EXIT_CODES_HELP)
    .showHelpAfterError('(run with --help for usage)')
  for (const register of COMMANDS) register(program)
  return program
}

/** Runs the CLI on `argv` (process.argv layout); sets process.exitCode. */
export async function main(argv: readonly string[]): Promise<void> {
  // A closed pipe (`cascadelab run | head`) ends output, not the run: the files are still written.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
    process.stdout.write = () => true
  })
  const scan = process.env.CASCADELAB_SCAN
  if (scan !== undefined && scan !== '' && scan !== 'js' && scan !== 'native') {
    process.exitCode = exitCodeFor(new UserError(`environment variable CASCADELAB_SCAN: "${scan}" is not a scan kernel (expected js, or native: the default)`))
    return
  }
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
  const environment = environmentFailure(error)
  if (environment !== null) {
    process.stderr.write(`cascadelab: ${environment}\n`)
    return EXIT.environment
  }
  process.stderr.write(`cascadelab: internal error (a bug — please report it with the command you ran)\n${(error as Error)?.stack ?? String(error)}\n`)
  return EXIT.internal
}
