// The cascade tree, from the event stream alone. Every event names its cause (an earlier seq),
// so each liquidation step has one nearest liquidation step behind it in its cause chain — its
// parent — or none (a root: a step set off by an exogenous price move). That parent relation is
// a forest; a step's generation is its depth (roots are generation 0; generation k+1 steps were
// set off by generation-k steps, through their fills' price impact, the oracle and the mark, or
// through ADL reductions and socialised losses they caused). A follow-up step (after the
// rate-limit interval or an auction) names its episode's first cause, so it is a sibling of the
// step it continues, not its child.
//
// The notional closed is attributed to the step behind each closing outcome (liquidation_flow.ts):
// liquidation fills (book), liquidator takeovers (whose chain runs bid → auction → step), backstop
// takeovers and ADL reductions (at an auction's end their cause is the auction). A closing outcome
// with no step behind it is counted in `unattributed`, so totals still reconcile and a test can
// insist that it stays 0. One pass in seq order; per seq it keeps the cause and the step behind it, so it
// can also give the whole chain behind any step — what `inspect --cascade --account` prints.
// Money here is in cash units (run_summary.ts converts).

import type { VenueEvent } from '../engine/events.js'
import type { VenueConfig } from '../engine/venue_config.js'
import { closingOf, type Taker } from './liquidation_flow.js'

const NONE = -1

/** One liquidation step, its place in the tree, and the notional (cash units) it closed, by taker. */
export interface CascadeStep {
  seq: number
  t: number
  account: number
  mode: 'partial' | 'full'
  /** Seq of the parent step (the nearest Liquidation in the cause chain), or -1 for a root. */
  parent: number
  generation: number
  bookNotional: number
  liquidatorNotional: number
  backstopNotional: number
  adlNotional: number
}

/** Notional closed by liquidations, in total and by taker. */
export interface NotionalByTaker {
  /** book + liquidators + backstop + ADL */
  notional: number
  bookNotional: number
  liquidatorNotional: number
  backstopNotional: number
  adlNotional: number
}

/** One generation of the cascade (notional in cash units). */
export interface CascadeGenerationRow extends NotionalByTaker {
  generation: number
  liquidations: number
  accounts: number
}

/** Builds the cascade tree from events in seq order. */
export class CascadeTree {
  readonly steps: CascadeStep[] = []
  private causeOf = new Int32Array(1 << 16).fill(NONE)
  private stepBehind = new Int32Array(1 << 16).fill(NONE)
  private readonly stepIndex = new Map<number, number>()
  private readonly cashPerTickLot: number[]
  private lastSeq = NONE
  /** Notional of closing outcomes whose cause chain reaches no liquidation step (cash units; 0 unless the engine's causes are broken). */
  readonly unattributed: NotionalByTaker = { notional: 0, bookNotional: 0, liquidatorNotional: 0, backstopNotional: 0, adlNotional: 0 }

  constructor(venue: Pick<VenueConfig, 'instruments'>) {
    this.cashPerTickLot = venue.instruments.map((x) => x.cashPerTickLot)
  }

  /** Records the next event (seqs must arrive in increasing order). */
  add(e: VenueEvent): void {
    if (!(e.seq > this.lastSeq)) throw new Error(`cascade tree: events out of order (seq ${e.seq} after ${this.lastSeq})`)
    this.lastSeq = e.seq
    if (e.seq >= this.causeOf.length) this.grow(e.seq + 1)
    this.causeOf[e.seq] = e.cause
    const behind = e.cause >= 0 && e.cause < e.seq ? (this.stepBehind[e.cause] as number) : NONE
    if (e.kind === 'Liquidation') {
      this.stepBehind[e.seq] = e.seq
      const parent = behind === NONE ? undefined : this.step(behind)
      this.stepIndex.set(e.seq, this.steps.length)
      this.steps.push({
        seq: e.seq, t: e.t, account: e.account, mode: e.mode, parent: behind, generation: parent === undefined ? 0 : parent.generation + 1,
        bookNotional: 0, liquidatorNotional: 0, backstopNotional: 0, adlNotional: 0,
      })
      return
    }
    this.stepBehind[e.seq] = behind
    const closing = closingOf(e, this.cashPerTickLot)
    if (closing === null) return
    const step = behind === NONE ? undefined : this.step(behind)
    addNotional(step ?? this.unattributed, closing.taker, closing.notional)
    if (step === undefined) this.unattributed.notional += closing.notional
  }

  /** The step with seq `seq`, or undefined. */
  step(seq: number): CascadeStep | undefined {
    const k = this.stepIndex.get(seq)
    return k === undefined ? undefined : this.steps[k]
  }

  /** Seq of the step behind event `seq` (the step itself for a Liquidation; -1 if none). */
  stepSeqBehind(seq: number): number {
    return seq >= 0 && seq < this.stepBehind.length ? (this.stepBehind[seq] as number) : NONE
  }

  /** Generation of the step behind event `seq` (-1 if no liquidation is behind it). */
  generationBehind(seq: number): number {
    const behind = seq >= 0 && seq < this.stepBehind.length ? (this.stepBehind[seq] as number) : NONE
    return behind === NONE ? NONE : (this.step(behind)?.generation ?? NONE)
  }

  /** The steps of account `account`, in seq order. */
  stepsOf(account: number): CascadeStep[] {
    return this.steps.filter((s) => s.account === account)
  }

  /** Seqs of the whole cause chain behind event `seq`, root first, ending with `seq`. */
  chain(seq: number): number[] {
    const chain: number[] = []
    for (let s = seq; s >= 0; s = this.causeOf[s] as number) {
      chain.push(s)
      if (chain.length > this.lastSeq + 1) throw new Error(`cascade tree: cause cycle at seq ${s}`)
    }
    return chain.reverse()
  }

  /** The per-generation table (counts, distinct accounts, notional by taker in cash units). */
  generations(): CascadeGenerationRow[] {
    const rows: CascadeGenerationRow[] = []
    const accounts: Set<number>[] = []
    for (const s of this.steps) {
      while (rows.length <= s.generation) {
        rows.push({
          generation: rows.length, liquidations: 0, accounts: 0, notional: 0,
          bookNotional: 0, liquidatorNotional: 0, backstopNotional: 0, adlNotional: 0,
        })
        accounts.push(new Set())
      }
      const row = rows[s.generation] as CascadeGenerationRow
      row.liquidations++
      accounts[s.generation]!.add(s.account)
      row.bookNotional += s.bookNotional
      row.liquidatorNotional += s.liquidatorNotional
      row.backstopNotional += s.backstopNotional
      row.adlNotional += s.adlNotional
      row.notional += s.bookNotional + s.liquidatorNotional + s.backstopNotional + s.adlNotional
    }
    rows.forEach((row, g) => { row.accounts = accounts[g]!.size })
    return rows
  }

  /** Number of roots (steps set off by no earlier step). */
  get roots(): number {
    return this.steps.reduce((n, s) => n + (s.parent === NONE ? 1 : 0), 0)
  }

  private grow(minimum: number): void {
    let size = this.causeOf.length * 2
    while (size < minimum) size *= 2
    const causes = new Int32Array(size).fill(NONE)
    causes.set(this.causeOf)
    this.causeOf = causes
    const behind = new Int32Array(size).fill(NONE)
    behind.set(this.stepBehind)
    this.stepBehind = behind
  }
}

const FIELD: Record<Taker, Exclude<keyof NotionalByTaker, 'notional'>> = {
  book: 'bookNotional', liquidators: 'liquidatorNotional', backstop: 'backstopNotional', adl: 'adlNotional',
}

/** Adds `notional` to `taker`'s field of `target` (not to its total). */
function addNotional(target: Omit<NotionalByTaker, 'notional'>, taker: Taker, notional: number): void {
  target[FIELD[taker]] += notional
}
