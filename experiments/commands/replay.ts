// `cascadelab replay`: re-applies a journal's inputs, optionally verifying every outcome and digest.

import type { Command } from 'commander'
import { replayJournal } from '../../engine/replay.js'
import { PooledRiskEvaluator } from '../../engine/risk/pooled_risk_evaluator.js'
import { EXIT } from '../errors.js'
import { parseThreads } from '../integer_option.js'
import { openJournal } from '../journal_file.js'

/** Registers `replay` on the program. */
export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('re-apply a journal\'s inputs with no agents; with --verify, check every outcome and checkpoint digest')
    .argument('<journal>', 'journal file written by `cascadelab run`')
    .option('--verify', 'compare every re-derived outcome and state digest with the journal')
    .option('--threads <n>', 'threads for full margin scans, as for `run` (default 1); never changes results', parseThreads)
    .addHelpText('after', '\nExamples:\n  cascadelab replay runs/demo/journal.msgpack --verify\n  cascadelab replay runs/big/journal.msgpack --verify --threads 2')
    .action(async (file: string, opts: { verify?: boolean; threads?: number }) => {
      const reader = openJournal(file)
      const threads = opts.threads ?? 1
      const pool = threads > 1 ? await PooledRiskEvaluator.start(threads) : null
      let result
      try {
        result = replayJournal(reader, opts.verify === true, pool)
      } finally {
        await pool?.close()
      }
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
        `${opts.verify ? ' — every outcome and digest matches' : ''}${threads > 1 ? ` (margin scans on ${threads} threads)` : ''}\nfinal state digest ${result.digest}\n`,
      )
    })
}
