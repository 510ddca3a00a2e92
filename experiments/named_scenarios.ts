// Named scenarios: the YAML files shipped in experiments/scenarios/, addressed by file name
// without extension ("thin-book-flash-crash"). Adding a scenario is adding a file there. A
// command argument is a name if such a file exists, otherwise a path to a scenario file.

import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { UserError } from './errors.js'
import { PACKAGE_ROOT } from './package_info.js'
import { loadScenarioFile, type Scenario } from './scenario.js'

/** Directory of the shipped named scenarios. */
export const NAMED_SCENARIOS_DIR = join(PACKAGE_ROOT, 'experiments', 'scenarios')

/** Names of the shipped scenarios, sorted. */
export function namedScenarios(): string[] {
  if (!existsSync(NAMED_SCENARIOS_DIR)) return []
  return readdirSync(NAMED_SCENARIOS_DIR)
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => file.slice(0, -'.yaml'.length))
    .sort()
}

/** The file of named scenario `name`, or null if there is none. */
export function namedScenarioFile(name: string): string | null {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) return null
  const file = join(NAMED_SCENARIOS_DIR, `${name}.yaml`)
  return existsSync(file) ? file : null
}

/** A scenario by shipped name or by file path (.json/.yaml/.yml). */
export function resolveScenario(nameOrFile: string): Scenario {
  const named = namedScenarioFile(nameOrFile)
  if (named !== null) return loadScenarioFile(named)
  if (!existsSync(nameOrFile)) {
    throw new UserError(`${nameOrFile}: no such scenario file or named scenario (named: ${namedScenarios().join(', ')})`)
  }
  return loadScenarioFile(nameOrFile)
}
