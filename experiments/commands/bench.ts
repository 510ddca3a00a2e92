// `cascadelab bench`: the end-to-end scaling benchmark of issue 7. For each account count it runs
// the default world with that many passive leveraged accounts (population pairs = accounts / 2),
// 1 s oracle heartbeats and a 15% exogenous drop halfway, for the given simulated hours — a whole
// run with journal, metrics and summary, into <out>/<accounts>/ — and prints wall time per
// simulated hour and how it grows from one size to the next. With the liquidation index the
// growth should follow the accounts a tick touches, not the accounts held. Too slow for the test
// suite (the 100k × 24 h target scenario takes about a minute); figures go in docs/BENCHMARKS.md.

import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { InvalidArgumentError, type Command } from 'commander'
import { nativeScanKind } from '../../engine/risk/native_scan.js'
import { resolveScenario } from '../named_scenarios.js'
import { runScenario } from '../run_scenario.js'
import { parseScenario, type Scenario } from '../scenario.js'
import { parseSeed, parseThreads } from '../integer_option.js'

/** The default world with `accounts` passive accounts, 1 s oracle ticks and a 15% drop halfway through `hours`. */
export function scalingScenario(accounts: number, hours: number): Scenario {
  const base = resolveScenario('default')
  const durationMs = Math.round(hours * 3_600_000)
  return parseScenario({
    ...base,
    name: `scaling-${accounts}`,
    description: `${accounts} passive accounts, 1 s oracle ticks, a 15% drop at ${hours / 2} h`,
    durationMs,
    checkpointEvery: 100_000,
    population: { ...base.population, pairs: Math.max(1, Math.round(accounts / 2)) },
    oracle: { ...base.oracle, heartbeatMs: 1000 },
    price: { ...base.price, shocks: [{ atMs: Math.round(durationMs / 2), drop: 0.15, durationMs: 30_000 }] },
  }, 'bench')
}

function parseCounts(value: string): number[] {
  const counts = value.split(',').map((x) => Number(x.trim().replace(/_/g, '')))
  if (counts.length === 0 || counts.some((n) => !Number.isInteger(n) || n < 2 || n > 10_000_000)) {
    throw new InvalidArgumentError(`accounts must be a comma-separated list of integers from 2 to 10,000,000, got "${value}"`)
  }
  return counts
}

function parseHours(value: string): number {
  const hours = Number(value)
  if (!(hours > 0 && hours <= 240)) throw new InvalidArgumentError(`hours must be a number in (0, 240], got "${value}"`)
  return hours
}

/** One account count's figures. */
interface ScalingRow {
  accounts: number
  hours: number
  wallSeconds: number
  secondsPerSimulatedHour: number
  /** Seconds per simulated hour ÷ the previous row's (null on the first row). */
  growth: number | null
  accountsRatio: number | null
  events: number
  eventsPerSecond: number
  liquidatedAccounts: number
  /** Accounts the liquidation index evaluated over the run (rebuilds count every account). */
  accountsLookedAt: number
  fullScans: number
  riskThreads: number
}

/** Registers `bench` on the program. */
export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('end-to-end scaling: runs the default world at several account counts and prints wall time per simulated hour')
    .option('--accounts <list>', 'comma-separated account counts', parseCounts, [10_000, 100_000])
    .option('--hours <h>', 'simulated hours per run (the issue-7 target: 100,000 accounts × 24 h in ≤ 60 s)', parseHours, 1)
    .option('--seed <n>', 'run seed', parseSeed, 1)
    .option('--threads <n>', 'threads for full margin scans (as for `run`)', parseThreads)
    .option('--out <dir>', 'output directory (one sub-directory per account count)', join('runs', 'bench'))
    .option('--json', 'print the rows as JSON')
    .addHelpText('after', '\nExamples:\n  cascadelab bench\n  cascadelab bench --accounts 100000 --hours 24\n  cascadelab bench --accounts 10000,100000,1000000 --threads 2')
    .action(async (opts: { accounts: number[]; hours: number; seed: number; threads?: number; out: string; json?: boolean }) => {
      const rows: ScalingRow[] = []
      if (!opts.json) process.stdout.write(`cascadelab bench · ${opts.hours} simulated h per run · ${availableParallelism()} cores · ${nativeScanKind} scan kernel\n`)
      for (const accounts of opts.accounts) {
        const scenario = scalingScenario(accounts, opts.hours)
        const report = await runScenario(scenario, { outDir: join(opts.out, String(accounts)), seed: opts.seed, threads: opts.threads, timeSeries: false })
        const secondsPerHour = report.run.wallMs / 1000 / opts.hours
        const previous = rows.at(-1)
        const row: ScalingRow = {
          accounts, hours: opts.hours, wallSeconds: report.run.wallMs / 1000, secondsPerSimulatedHour: secondsPerHour,
          growth: previous ? secondsPerHour / previous.secondsPerSimulatedHour : null,
          accountsRatio: previous ? accounts / previous.accounts : null,
          events: report.events, eventsPerSecond: report.run.eventsPerSecond,
          liquidatedAccounts: report.liquidations.accounts, accountsLookedAt: report.run.accountsLookedAt,
          fullScans: report.run.fullScans, riskThreads: report.run.riskThreads,
        }
        rows.push(row)
        if (!opts.json) {
          process.stdout.write(
            `  ${accounts.toLocaleString('en-US').padStart(10)} accounts  ${row.wallSeconds.toFixed(1).padStart(7)} s wall  ` +
            `${secondsPerHour.toFixed(2).padStart(7)} s per simulated hour` +
            `${row.growth === null ? '' : `  (${row.growth.toFixed(2)}x for ${row.accountsRatio}x accounts)`}  ` +
            `${row.events.toLocaleString('en-US')} events, ${row.eventsPerSecond.toLocaleString('en-US')}/s, ` +
            `${row.accountsLookedAt.toLocaleString('en-US')} account looks, ${row.fullScans} full scans on ${row.riskThreads} thread(s)\n`,
          )
        }
      }
      if (opts.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`)
    })
}
