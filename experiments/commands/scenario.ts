// `cascadelab scenario`: prints every default, lists the named scenarios, or prints one
// scenario (named or from a file) with its defaults filled in.

import type { Command } from 'commander'
import { namedScenarios, resolveScenario } from '../named_scenarios.js'
import { defaultScenario } from '../scenario.js'

/** Registers `scenario` on the program. */
export function registerScenario(program: Command): void {
  program
    .command('scenario')
    .description('print every scenario default, list the named scenarios, or print a scenario with its defaults filled in')
    .argument('[scenario]', 'a named scenario or a scenario file to print resolved')
    .option('--print-defaults', 'print all defaults as JSON (the embedded default scenario)')
    .option('--list', 'list the named scenarios shipped in experiments/scenarios/')
    .addHelpText('after', '\nExamples:\n  cascadelab scenario --print-defaults\n  cascadelab scenario --list\n  cascadelab scenario oracle-lag-cascade')
    .action((name: string | undefined, opts: { printDefaults?: boolean; list?: boolean }) => {
      if (opts.list) {
        for (const named of namedScenarios()) process.stdout.write(`${named.padEnd(28)} ${resolveScenario(named).description}\n`)
        return
      }
      const scenario = name === undefined || opts.printDefaults ? defaultScenario() : resolveScenario(name)
      process.stdout.write(`${JSON.stringify(scenario, null, 2)}\n`)
    })
}
