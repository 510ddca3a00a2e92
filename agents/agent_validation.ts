// Checks that an object really is an Agent before the loop runs it: a researcher's module is
// plain JS as often as TypeScript, so the interface is checked at run time and every problem is
// named ("lacks onWake", "subscribes to unknown event kind Fils"), not left to fail mid-run.

import { INPUT_KINDS, OUTCOME_KINDS } from '../engine/events.js'

const EVENT_KINDS: ReadonlySet<string> = new Set<string>([...INPUT_KINDS, ...OUTCOME_KINDS])

/** What keeps `candidate` from being an Agent (empty if nothing). */
export function agentProblems(candidate: unknown): string[] {
  if (candidate === null || typeof candidate !== 'object') return [`is not an object (got ${candidate === null ? 'null' : typeof candidate})`]
  const agent = candidate as Record<string, unknown>
  const problems: string[] = []
  if (typeof agent.name !== 'string' || agent.name.length === 0) problems.push('lacks a name (a non-empty string)')
  if (!Array.isArray(agent.accounts)) problems.push('lacks accounts (the array of account ids it was given)')
  if (!Array.isArray(agent.subscriptions)) problems.push('lacks subscriptions (an array of event kinds, [] for none)')
  else {
    for (const kind of agent.subscriptions) {
      if (typeof kind !== 'string' || !EVENT_KINDS.has(kind)) problems.push(`subscribes to unknown event kind ${JSON.stringify(kind)}`)
    }
    if (agent.subscriptions.length > 0 && typeof agent.onEvent !== 'function') problems.push('subscribes to events but lacks onEvent')
  }
  if (typeof agent.start !== 'function') problems.push('lacks start (a method)')
  if (typeof agent.onWake !== 'function') problems.push('lacks onWake (a method)')
  if (agent.onEvent !== undefined && typeof agent.onEvent !== 'function') problems.push('has an onEvent that is not a method')
  return problems
}
