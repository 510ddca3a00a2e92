// `cascadelab reproduce`: re-runs what a report embeds and confirms the digests match.

import { availableParallelism } from 'node:os'
import { InvalidArgumentError, type Command } from 'commander'
import { EXIT } from '../errors.js'
import { reproduceReport, readProvenance, versionMismatch } from '../reproduce.js'
import { parseWorkers } from '../integer_option.js'

function parseLimit(value: string): number {
  const limit = Number(value)
  if (!Number.isInteger(limit) || limit < 1) throw new InvalidArgumentError(`limit must be a positive integer, got "${value}"`)
  return limit
}

/** Registers `reproduce` on the program. */
export function registerReproduce(program: Command): void {
  program
    .command('reproduce')
    .description('re-run the runs embedded in a report and confirm each journal sha-256 and final state digest (exit 1 on any difference)')
    .argument('<report>', 'report.html written by `cascadelab report`')
    .option('--workers <n>', `worker threads (default: ${availableParallelism()})`, parseWorkers)
    .option('--limit <n>', 'check only the first n runs (large sweeps)', parseLimit)
    .addHelpText('after', '\nExample:\n  cascadelab reproduce runs/demo/report.html')
    .action(async (file: string, opts: { workers?: number; limit?: number }) => {
      const other = versionMismatch(readProvenance(file))
      if (other !== null) process.stderr.write(`cascadelab: note: ${file} was made with cascadelab ${other}; journals embed the version, so their sha-256 will differ\n`)
      const outcome = await reproduceReport(file, {
        workers: opts.workers ?? availableParallelism(), limit: opts.limit,
        onCheck: (c) => process.stdout.write(`  ${c.id} seed ${c.seed}: journal ${c.journalMatches ? 'matches' : `DIFFERS (${c.journalSha256})`}, state digest ${c.stateMatches ? 'matches' : `DIFFERS (${c.finalStateDigest})`}\n`),
      })
      const bad = outcome.checks.filter((c) => !c.journalMatches || !c.stateMatches).length
      const checked = `${outcome.checks.length}${outcome.checks.length < outcome.total ? ` of ${outcome.total}` : ''} run${outcome.total === 1 ? '' : 's'}`
      if (bad > 0) {
        process.stderr.write(`cascadelab: ${file}: ${bad} of ${checked} did not reproduce\n`)
        process.exitCode = EXIT.checkFailed
        return
      }
      process.stdout.write(`reproduced ${checked} of ${file}: every journal sha-256 and state digest matches\n`)
    })
}
