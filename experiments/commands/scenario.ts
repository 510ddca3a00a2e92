// `cascadelab scenario`: prints the embedded default scenario with every default.

import type { Command } from 'commander'
import { defaultScenario } from '../scenario.js'

/** Registers `scenario` on the program. */
export function registerScenario(program: Command): void {
  program
    .command('scenario')
    .description('print the embedded default scenario with every default value')
    .option('--print-defaults', 'print all defaults as JSON')
    .action(() => {
      process.stdout.write(`${JSON.stringify(defaultScenario(), null, 2)}\n`)
    })
}
