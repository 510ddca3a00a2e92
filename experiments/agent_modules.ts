// Researchers' own agents: a scenario's `agents:` entry may name a module (a .js/.mjs ES module)
// instead of a built-in type. Its default export is an Agent class, constructed as
// `new Agent(name, accounts, params)`, or a factory `(name, accounts, params) => agent`. Modules
// are imported before the world is built (world building is synchronous; import is not), in
// whichever thread runs the simulation, so sweep workers load them too. Every agent made is
// checked against the interface (agents/agent_validation.ts); problems are UserErrors naming the
// module and what is missing.

import { pathToFileURL } from 'node:url'
import { resolve } from 'node:path'
import type { Agent } from '../agents/agent.js'
import { agentProblems } from '../agents/agent_validation.js'
import { UserError } from './errors.js'
import type { Scenario } from './scenario.js'

/** Makes one agent of a module: its name, the accounts the world gave it, the entry's params. */
export type AgentFactory = (name: string, accounts: readonly number[], params: Record<string, unknown>) => Agent

/** Factories of the scenario's agent modules, by module path as written in the scenario. */
export type AgentModules = ReadonlyMap<string, AgentFactory>

/** Imports every module named in `scenario.agents` (paths not absolute are relative to the working directory). */
export async function loadAgentModules(scenario: Scenario): Promise<AgentModules> {
  const modules = new Map<string, AgentFactory>()
  for (const entry of scenario.agents) {
    if (entry.module === undefined || modules.has(entry.module)) continue
    modules.set(entry.module, await importFactory(entry.module))
  }
  return modules
}

async function importFactory(path: string): Promise<AgentFactory> {
  let exports: Record<string, unknown>
  try {
    exports = await import(pathToFileURL(resolve(path)).href) as Record<string, unknown>
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'ERR_MODULE_NOT_FOUND' ? 'no such file' : (error as Error).message.split('\n')[0]
    throw new UserError(`agent module ${path}: cannot be loaded (${why})`)
  }
  const exported = exports.default
  if (typeof exported !== 'function') {
    const named = Object.keys(exports).filter((k) => k !== 'default')
    const hint = named.length > 0 ? ` (it exports ${named.join(', ')}; add \`export default\`)` : ''
    throw new UserError(`agent module ${path}: exports no default class or factory function${hint}`)
  }
  const isClass = /^class[\s{]/.test(Function.prototype.toString.call(exported))
  const make = exported as (...args: unknown[]) => unknown
  return (name, accounts, params) => {
    let agent: unknown
    try {
      agent = isClass ? Reflect.construct(make, [name, accounts, params]) : make(name, accounts, params)
    } catch (error) {
      throw new UserError(`agent module ${path}: constructing agent ${name} failed: ${(error as Error)?.message ?? String(error)}`)
    }
    const problems = agentProblems(agent)
    if (problems.length > 0) throw new UserError(`agent module ${path}: the agent ${problems.join('; ')}`)
    return agent as Agent
  }
}
