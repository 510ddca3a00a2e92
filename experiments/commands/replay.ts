// `cascadelab replay`: re-applies a journal's inputs, optionally verifying every outcome and digest.

import type { Command } from 'commander'
import { replayJournal } from '../../engine/replay.js'
import { EXIT } from '../errors.js'
import { openJournal } from '../journal_file.js'

/** Registers `replay` on the program. */
export function registerReplay(program: Command): void {
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
}
