// `cascadelab inspect`: the run summary re-computed from a journal alone (the same fold as the
// live run: `--json` prints exactly summary.json's summary and metrics); with --cascade, the
// cascade tree (generations with counts and notional), and with --account the cause chain
// behind one account's liquidation.

import { InvalidArgumentError, type Command } from 'commander'
import type { VenueEvent } from '../../engine/events.js'
import { CascadeTree } from '../../analysis/cascade_tree.js'
import { journalRecords } from '../../analysis/event_stream.js'
import { metricsOf } from '../../analysis/metrics.js'
import { aggregateEvents } from '../../analysis/run_analysis.js'
import { UserError } from '../errors.js'
import { formatAccountChain, formatCascadeTable } from '../format_cascade.js'
import { formatSummary } from '../format_summary.js'
import { openJournal } from '../journal_file.js'

interface InspectOptions { json?: boolean; cascade?: boolean; account?: number }

/** Parses an --account value (a non-negative integer account id). */
function parseAccount(value: string): number {
  const account = Number(value)
  if (!Number.isSafeInteger(account) || account < 0) throw new InvalidArgumentError(`account must be a non-negative integer id, got "${value}"`)
  return account
}

/** Registers `inspect` on the program. */
export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('summarise a journal: header, event counts, price path, liquidations by generation')
    .argument('<journal>', 'journal file')
    .option('--json', 'print JSON')
    .option('--cascade', 'print the cascade tree: liquidation steps, accounts and notional by generation')
    .option('--account <id>', 'with --cascade: print the cause chain behind this account\'s first liquidation step', parseAccount)
    .addHelpText('after', `
Generation 0 steps were set off by exogenous price moves; generation k+1 steps by the price impact
(or the auto-deleveraging) of generation k. --account implies --cascade.

Examples:
  cascadelab inspect runs/demo/journal.msgpack --cascade
  cascadelab inspect runs/demo/journal.msgpack --cascade --account 1234`)
    .action((file: string, opts: InspectOptions) => {
      if (opts.cascade || opts.account !== undefined) {
        inspectCascade(file, opts)
        return
      }
      const reader = openJournal(file)
      const summary = aggregateEvents(reader.header.venue, journalRecords(reader)).finish()
      const scenarioName = (reader.header.scenario as { name?: string } | null)?.name ?? '?'
      if (opts.json) {
        const header = { ...reader.header, scenario: undefined, scenarioName }
        process.stdout.write(`${JSON.stringify({ header, summary, metrics: metricsOf(summary) }, null, 2)}\n`)
        return
      }
      process.stdout.write(`${formatSummary(summary, `${file} · cascadelab ${reader.header.packageVersion} · scenario ${scenarioName} · seed ${reader.header.seed}`)}\n`)
    })
}

/** --cascade: one pass builds the tree; with --account a second pass fetches the chain's events. */
function inspectCascade(file: string, opts: InspectOptions): void {
  const reader = openJournal(file)
  const aggregator = aggregateEvents(reader.header.venue, journalRecords(reader))
  const generations = aggregator.finish().liquidations.byGeneration
  const tree = aggregator.tree ?? new CascadeTree(reader.header.venue)
  const cashUnit = reader.header.venue.cashUnit
  let chainEvents: VenueEvent[] | undefined
  if (opts.account !== undefined) {
    const first = tree.stepsOf(opts.account)[0]
    if (first === undefined) throw new UserError(`${file}: account ${opts.account} has no liquidation step in this journal`)
    const wanted = new Set(tree.chain(first.seq))
    chainEvents = []
    for (const event of journalRecords(openJournal(file))) if (wanted.has(event.seq)) chainEvents.push(event)
  }
  if (opts.json) {
    const account = opts.account === undefined ? undefined : { account: opts.account, steps: tree.stepsOf(opts.account), chain: chainEvents }
    process.stdout.write(`${JSON.stringify({ steps: tree.steps.length, roots: tree.roots, generations, ...(account ? { account } : {}) }, null, 2)}\n`)
    return
  }
  process.stdout.write(`${formatCascadeTable(tree, cashUnit)}\n`)
  if (opts.account !== undefined && chainEvents !== undefined) {
    process.stdout.write(`\n${formatAccountChain(tree, opts.account, new Map(chainEvents.map((e) => [e.seq, e])))}\n`)
  }
}
