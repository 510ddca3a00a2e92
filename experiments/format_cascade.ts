// Human-readable rendering of the cascade tree for `cascadelab inspect --cascade`: the table of
// generations (steps, distinct accounts, notional by taker), and the cause chain behind one
// account's liquidation, event by event from the exogenous root to the account's first step.

import type { VenueEvent } from '../engine/events.js'
import type { CascadeStep, CascadeTree } from '../analysis/cascade_tree.js'

const money = (cash: number, cashUnit: number): string => Math.round(cash * cashUnit).toLocaleString('en-US')
const pad = (x: string | number, width: number): string => String(x).padStart(width)

/** The per-generation table of a cascade tree, money in the quote currency. */
export function formatCascadeTable(tree: CascadeTree, cashUnit: number): string {
  const rows = tree.generations()
  const lines = [
    `cascade tree: ${tree.steps.length} liquidation steps in ${rows.length} generation${rows.length === 1 ? '' : 's'}, ${tree.roots} root${tree.roots === 1 ? '' : 's'}`,
    `  ${pad('gen', 4)} ${pad('steps', 7)} ${pad('accounts', 9)} ${pad('notional', 14)} ${pad('book', 14)} ${pad('liquidators', 14)} ${pad('backstop', 14)} ${pad('ADL', 14)}`,
  ]
  for (const r of rows) {
    lines.push(`  ${pad(r.generation, 4)} ${pad(r.liquidations, 7)} ${pad(r.accounts, 9)} ${pad(money(r.notional, cashUnit), 14)} ${pad(money(r.bookNotional, cashUnit), 14)} ${pad(money(r.liquidatorNotional, cashUnit), 14)} ${pad(money(r.backstopNotional, cashUnit), 14)} ${pad(money(r.adlNotional, cashUnit), 14)}`)
  }
  return lines.join('\n')
}

/** The chain behind `account`'s first step: `events` holds (at least) every event of the chain, by seq. */
export function formatAccountChain(tree: CascadeTree, account: number, events: ReadonlyMap<number, VenueEvent>): string {
  const steps = tree.stepsOf(account)
  const first = steps[0] as CascadeStep
  const lines = [
    `account ${account}: ${steps.length} liquidation step${steps.length === 1 ? '' : 's'} (${steps.map((s) => `seq ${s.seq} ${s.mode} gen ${s.generation}`).join(', ')})`,
    `cause chain behind its first step (root first):`,
  ]
  for (const seq of tree.chain(first.seq)) {
    const e = events.get(seq)
    if (e === undefined) continue
    const step = e.kind === 'Liquidation' ? tree.step(seq) : undefined
    const tag = step === undefined ? '' : `   [generation ${step.generation}]`
    lines.push(`  seq ${pad(seq, 8)}  t ${pad((e.t / 1000).toFixed(3), 10)}s  ${e.kind.padEnd(20)} ${fieldsOf(e)}${tag}`)
  }
  return lines.join('\n')
}

/** An event's own fields as "name=value" pairs (kind, seq, t and cause left out). */
export function fieldsOf(e: VenueEvent): string {
  const { kind: _k, seq: _s, t: _t, cause: _c, ...rest } = e as VenueEvent & Record<string, unknown>
  return Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(2) : String(v)}`).join(' ')
}
