// RiskEvaluator: a full margin scan of accounts [0, count) — which accounts are below
// maintenance, their health, and optionally every account's safe band — with two
// implementations that must agree bit for bit: this file's sequential one and the Piscina pool
// of pooled_risk_evaluator.ts. Both run account_risk.ts over the same columns; the pool merges
// its shards in account order, so which one ran never shows in the results (or the journal).
//
// Which one: sequential below RISK_POOL_CROSSOVER_ACCOUNTS (a pool's hand-off costs more than
// it saves on small scans; measured in test/bench/risk.bench.ts, docs/BENCHMARKS.md), the pool
// above it; `--threads N` overrides.

import { fail } from '../assert.js'
import { scanKernel } from './scan_kernel.js'
import { premiumAssetCount, type RiskColumns } from './risk_columns.js'

/** Accounts at which a 2-thread pool's full scan starts to beat the sequential one (measured, see docs/BENCHMARKS.md). */
export const RISK_POOL_CROSSOVER_ACCOUNTS = 100_000

/** Result of a scan: the first `count` entries of `accounts` (ascending) and `health` are valid until the next scan. */
export interface RiskScan {
  count: number
  accounts: Int32Array
  health: Float64Array
}

/** A full margin scan, sequential or sharded over worker threads. */
export interface RiskEvaluator {
  /** Threads that scan (1 for the sequential evaluator). */
  readonly threads: number
  /** Scans accounts [0, count); writes each account's band to band[a] if given (a shared array for the pool). */
  evaluate(columns: RiskColumns, count: number, band: Float64Array | null): RiskScan
  /** Stops worker threads, if any; rejects with a worker's crash if one crashed. */
  close(): Promise<void>
}

/** Fails unless accounts [from, to) lie inside the columns (a worker reports this as its error). */
export function checkScanRange(c: RiskColumns, from: number, to: number, band: Float64Array | null): void {
  if (!(Number.isInteger(from) && Number.isInteger(to) && 0 <= from && from <= to)) fail(`risk scan: bad range [${from}, ${to})`)
  if (!(to <= c.cash.length && to * c.instruments <= c.positionLots.length && to * c.assets <= c.collateralUnits.length)) {
    fail(`risk scan: accounts up to ${to} but the columns hold ${c.cash.length}`)
  }
  const memoSlots = to * premiumAssetCount(c.sizePremium)
  if (!(memoSlots <= c.weightUnits.length && memoSlots <= c.weight.length)) fail(`risk scan: weight memo holds ${c.weightUnits.length} slots, need ${memoSlots}`)
  if (band !== null && !(to <= band.length)) fail(`risk scan: band column holds ${band.length} accounts, need ${to}`)
}

/** Number of threads to scan `accounts` with: `requested` if given, else 1 below the crossover and 2 above. */
export function riskThreadsFor(accounts: number, requested: number | undefined, cores: number): number {
  if (requested !== undefined) return requested
  return accounts >= RISK_POOL_CROSSOVER_ACCOUNTS && cores >= 2 ? 2 : 1
}

/** The one-thread evaluator: a loop over the columns. */
export class SequentialRiskEvaluator implements RiskEvaluator {
  readonly threads = 1
  private accounts = new Int32Array(1024)
  private health = new Float64Array(1024)
  private readonly scan: RiskScan = { count: 0, accounts: this.accounts, health: this.health }

  evaluate(columns: RiskColumns, count: number, band: Float64Array | null): RiskScan {
    checkScanRange(columns, 0, count, band)
    if (count > this.accounts.length) {
      this.accounts = new Int32Array(count)
      this.health = new Float64Array(count)
      this.scan.accounts = this.accounts
      this.scan.health = this.health
    }
    this.scan.count = scanKernel(columns)(columns, 0, count, this.accounts, this.health, 0, band, 0)
    return this.scan
  }

  close(): Promise<void> {
    return Promise.resolve()
  }
}
