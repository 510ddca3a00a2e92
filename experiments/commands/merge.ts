// `cascadelab merge`: combines the outputs of a sharded sweep into the table a single machine
// would have produced.

import type { Command } from 'commander'
import { mergeSweeps } from '../sweep_merge.js'

/** Registers `merge` on the program. */
export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('combine shard outputs of one sweep (same plan) into results.csv/results.parquet; fails listing any unfinished run')
    .argument('<dirs...>', 'sweep output directories (one shared directory, or one per shard)')
    .option('--out <dir>', 'merged output directory (default: the first directory)')
    .addHelpText('after', '\nExamples:\n  cascadelab merge sweeps/fund-vs-depth                      # shards wrote into one directory\n  cascadelab merge shard-1 shard-2 shard-3 --out merged      # one directory per shard')
    .action(async (dirs: string[], opts: { out?: string }) => {
      const outcome = await mergeSweeps(dirs, opts.out ?? dirs[0]!)
      process.stdout.write(
        `merged sweep ${outcome.manifest.name}: ${outcome.runs} runs (${outcome.linked} imported from other directories)\n` +
        `  wrote ${outcome.table.csv}, ${outcome.table.parquet}\n`,
      )
    })
}
