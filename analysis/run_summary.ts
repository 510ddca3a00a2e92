// The one aggregate of a run, folded from the annotated event stream (annotated_event.ts) live or
// over a journal: price path and amplification; liquidations by taker and by cascade generation
// (the cascade tree's table); first-liquidation and ADL-onset times; the insurance fund from its
// deposit to its minimum and end; bad debt, ADL, socialised loss, fees; negative-equity accounts;
// and, per trader (owner: a cross account with its compartments), liquidation and loss. Every
// output — summary.json, the terminal summary, `inspect`, the metrics catalog (metrics.ts) that
// the sweep table and the reports read — comes from this one fold, so they cannot disagree.
//
// Money is accumulated in integer cash units (exact sums) and converted to the quote currency
// once, in finish(); prices in quote currency per base unit; times in simulated ms. Definitions
// of every figure: docs/METRICS.md.

import type { OperatorFunction } from 'rxjs'
import { isInput, type VenueEvent } from '../engine/events.js'
import { INSURANCE_FUND_ACCOUNT, type VenueConfig } from '../engine/venue_config.js'
import type { AccountLedger } from './account_ledger.js'
import { foldEvents, type AnnotatedEvent } from './annotated_event.js'
import type { CascadeGenerationRow, CascadeTree, NotionalByTaker } from './cascade_tree.js'
import { DrawdownTracker } from './drawdown.js'
import { FundStatement, type FundFlows } from './fund_statement.js'
import { closingOf, TAKERS, type Taker } from './liquidation_flow.js'

/** One generation of the cascade: steps, distinct accounts, notional closed by taker (quote currency here). */
export type GenerationRow = CascadeGenerationRow

export interface LossDistribution {
  /** Traders whose loss (cash deposited − equity at the end, over all their accounts) is > 0. */
  withLoss: number
  /** Σ of those losses. */
  total: number
  mean: number
  p50: number
  p90: number
  p99: number
  max: number
}

export interface RunSummary {
  events: number
  simulatedMs: number
  eventsByKind: Record<string, number>
  price: {
    startMark: number
    minMark: number
    finalMark: number
    /** Peak-to-trough drawdown of the exogenous path (no venue impact), fraction. */
    exogenousDrawdown: number
    /** Peak-to-trough drawdown of the mark price, fraction. */
    markDrawdown: number
    /** markDrawdown / exogenousDrawdown (null if the exogenous path never fell). */
    amplification: number | null
    /** Simulated ms from the peak before the deepest mark trough to that trough. */
    timeToTroughMs: number
  }
  /** Notional closed (quote currency) by taker. */
  liquidations: NotionalByTaker & {
    count: number
    /** Distinct liquidated accounts (compartments counted one by one). */
    accounts: number
    /** Distinct traders (owners) with a liquidated account. */
    owners: number
    /** Steps that closed part of a position (the rest are full). */
    partialSteps: number
    /** Steps set off by no earlier liquidation (roots of the cascade tree). */
    roots: number
    /** Depth of the cascade: number of generations (0 if no liquidation). */
    generations: number
    byGeneration: GenerationRow[]
    /** Closing notional whose cause chain reaches no step (0 unless the engine's causes are broken). */
    unattributed: NotionalByTaker
    /** Share of `notional` by taker (null without liquidations). */
    shareByTaker: Record<Taker, number> | null
    /** Simulated ms of the first Liquidation event (null: none). */
    firstMs: number | null
    /** Largest liquidated notional within one simulated minute [60 000·m, 60 000·(m+1)) ms. */
    peakNotionalPerMinute: number
  }
  /**
   * The insurance fund account: start = its cash deposits; min and end = its equity at mark (cash +
   * positions at mark + seized collateral at what it paid), min sampled at input boundaries; and
   * its statement (analysis/fund_statement.ts, quote currency).
   */
  insuranceFund: {
    start: number; end: number; min: number; endCash: number
    /** Lots of the primary instrument the fund holds at the end. */
    endPositionLots: number
    flows: Omit<FundFlows, 'lots'>
  }
  badDebt: number
  /**
   * Gap risk (engine/liquidation/deficit_record.ts): accounts the liquidation engine reached
   * below zero equity (`underwaterAccounts`, `deficitAtDetection` = Σ −equity then), and how
   * their deficits were resolved (Σ of DeficitResolved parts); the fund's own deficits are in
   * insuranceFund.flows (`deficits`, `deficitsCovered`, `deficitsByAdl`, socialised, bad debt).
   */
  gapRisk: {
    underwaterAccounts: number
    underwaterEpisodes: number
    deficitAtDetection: number
    fundDeficits: number
    resolved: { deficits: number; total: number; collateral: number; fund: number; socialized: number; adl: number; badDebt: number }
  }
  /** Positions reduced by auto-deleveraging (events, accounts, notional at the bankruptcy price), the fund's own deleveraging included (liquidations.adlNotional leaves it out). */
  autoDeleverage: { events: number; accounts: number; notional: number; onsetAfterFirstLiquidationMs: number | null }
  /** Deficits charged to opposing holders (quote currency). */
  socializedLoss: number
  /** Penalty paid to liquidators (quote currency). */
  liquidatorRewards: number
  fees: number
  /** Accounts (not the fund) whose equity was < 0 at the start of a liquidation step or at the end; deficit: Σ of each one's largest −equity then. */
  negativeEquity: { accounts: number; owners: number; deficit: number }
  /** Traders: owners of accounts (a cross account and its compartments), the insurance fund left out. */
  traders: { count: number; liquidated: number; fractionLiquidated: number; loss: LossDistribution }
  /** The same per account (each compartment on its own), the fund left out. */
  accounts: { count: number; compartments: number; liquidated: number; fractionLiquidated: number }
}

/** Cash-unit totals kept exact for reconciliation (tests) and the quote-currency conversion. */
export interface RunTotalsCash {
  byTaker: Record<Taker, number>
  byGeneration: CascadeGenerationRow[]
  unattributed: NotionalByTaker
  fees: number
  badDebt: number
  deposits: number
}

const MINUTE_MS = 60_000

/** Accumulates a RunSummary from annotated events in seq order. */
export class RunAggregator {
  private readonly kinds: Record<string, number> = {}
  private readonly mark = new DrawdownTracker()
  private readonly exogenous = new DrawdownTracker()
  private readonly byTaker: Record<Taker, number> = { book: 0, liquidators: 0, backstop: 0, adl: 0 }
  private readonly perMinute: number[] = []
  private readonly liquidated = new Set<number>()
  private readonly deleveraged = new Set<number>()
  /** Largest −equity seen for an account with negative equity (cash units). */
  private readonly deficits = new Map<number, number>()
  private events = 0
  private lastT = 0
  private startMark = 0
  private minMark = Infinity
  private finalMark = 0
  private liquidations = 0
  private partialSteps = 0
  private firstLiquidationMs: number | null = null
  private firstAdlMs: number | null = null
  private adlEvents = 0
  private socializedLoss = 0
  private liquidatorRewards = 0
  private badDebt = 0
  private fees = 0
  private deposits = 0
  private fundStart = 0
  private fundMin = Infinity
  /** ADL of the fund's own positions (its deficits): ADL volume, but not liquidated notional. */
  private fundAdlNotional = 0
  private readonly fund: FundStatement
  private readonly underwaterAccounts = new Set<number>()
  private underwaterEpisodes = 0
  private deficitAtDetection = 0
  private readonly resolved = { deficits: 0, total: 0, collateral: 0, fund: 0, socialized: 0, adl: 0, badDebt: 0 }
  private ledger: AccountLedger | null = null
  private treeSeen: CascadeTree | null = null

  private readonly cashPerTickLot: readonly number[]

  constructor(private readonly venue: VenueConfig) {
    this.cashPerTickLot = venue.instruments.map((x) => x.cashPerTickLot)
    this.fund = new FundStatement(venue)
  }

  /** Adds the next annotated event (in seq order). */
  add(annotated: AnnotatedEvent): void {
    const e = annotated.event
    this.ledger = annotated.ledger
    this.treeSeen = annotated.tree
    this.events++
    this.lastT = e.t
    this.kinds[e.kind] = (this.kinds[e.kind] ?? 0) + 1
    // The fund's equity is sampled as each input arrives, i.e. after the previous input's outcomes:
    // within an input it can dip below zero until its deficit is resolved (DeficitResolved).
    if (e.t > 0 && isInput(e)) this.trackFund()
    this.fund.add(e)
    this.addPrices(e)
    this.addMoney(e)
    const closing = closingOf(e, this.cashPerTickLot)
    if (closing !== null) {
      this.byTaker[closing.taker] += closing.notional
      const minute = Math.floor(e.t / MINUTE_MS)
      while (this.perMinute.length <= minute) this.perMinute.push(0)
      this.perMinute[minute] = (this.perMinute[minute] as number) + closing.notional
    }
  }

  /** The cascade tree seen so far (null before the first event). */
  get tree(): CascadeTree | null {
    return this.treeSeen
  }

  /** Exact cash-unit totals (for reconciliation). */
  totalsCash(): RunTotalsCash {
    const tree = this.treeSeen
    return {
      byTaker: { ...this.byTaker }, byGeneration: tree ? tree.generations() : [],
      unattributed: tree ? { ...tree.unattributed } : { notional: 0, bookNotional: 0, liquidatorNotional: 0, backstopNotional: 0, adlNotional: 0 },
      fees: this.fees, badDebt: this.badDebt, deposits: this.deposits,
    }
  }

  /** The summary so far. */
  finish(): RunSummary {
    const money = quoteOf(this.venue)
    const tick = this.venue.instruments[0]!.tickSize
    const price = (ticks: number): number => round(ticks * tick, 8)
    const exogenousDrawdown = round(this.exogenous.worst, 6)
    const markDrawdown = round(this.mark.worst, 6)
    return {
      events: this.events,
      simulatedMs: this.lastT,
      eventsByKind: Object.fromEntries(Object.entries(this.kinds).sort(([a], [b]) => (a < b ? -1 : 1))),
      price: {
        startMark: price(this.startMark), minMark: price(this.minMark === Infinity ? 0 : this.minMark), finalMark: price(this.finalMark),
        exogenousDrawdown, markDrawdown,
        amplification: exogenousDrawdown > 0 ? round(markDrawdown / exogenousDrawdown, 4) : null,
        timeToTroughMs: this.mark.timeToTroughMs,
      },
      liquidations: this.liquidationSummary(money),
      insuranceFund: this.fundSummary(money),
      badDebt: money(this.badDebt),
      gapRisk: this.gapRiskSummary(money),
      autoDeleverage: {
        events: this.adlEvents, accounts: this.deleveraged.size, notional: money(this.byTaker.adl + this.fundAdlNotional),
        onsetAfterFirstLiquidationMs: this.firstAdlMs === null || this.firstLiquidationMs === null ? null : this.firstAdlMs - this.firstLiquidationMs,
      },
      socializedLoss: money(this.socializedLoss),
      liquidatorRewards: money(this.liquidatorRewards),
      fees: money(this.fees),
      negativeEquity: this.negativeEquitySummary(money),
      ...this.populationSummary(money),
    }
  }

  private addPrices(e: VenueEvent): void {
    if (e.kind === 'MarkPrice' && e.instrument === 0) {
      if (this.startMark === 0) this.startMark = e.priceTicks
      this.finalMark = e.priceTicks
      if (e.priceTicks < this.minMark) this.minMark = e.priceTicks
      this.mark.add(e.priceTicks, e.t)
    } else if (e.kind === 'ExternalPrice' && e.asset === this.venue.instruments[0]!.baseAsset) {
      this.exogenous.add(e.exogenousTicks, e.t)
    }
  }

  private addMoney(e: VenueEvent): void {
    switch (e.kind) {
      case 'Deposit':
        if (e.asset !== 0) break
        this.deposits += e.amount
        if (e.account === INSURANCE_FUND_ACCOUNT) this.fundStart += e.amount
        break
      case 'Liquidation':
        this.liquidations++
        if (e.mode === 'partial') this.partialSteps++
        this.liquidated.add(e.account)
        this.firstLiquidationMs ??= e.t
        if (e.equity < 0) this.noteDeficit(e.account, -e.equity)
        break
      case 'Fill':
        this.fees += e.takerFee + e.makerFee
        break
      case 'AutoDeleverage':
        if (e.bankrupt === INSURANCE_FUND_ACCOUNT) this.fundAdlNotional += e.lots * e.priceTicks * (this.cashPerTickLot[e.instrument] ?? 0)
        this.adlEvents++
        this.deleveraged.add(e.account)
        this.firstAdlMs ??= e.t
        break
      case 'LiquidatorReward':
        this.liquidatorRewards += e.amount
        break
      case 'SocializedLoss':
        this.socializedLoss += e.amount
        break
      case 'BadDebt':
        this.badDebt += e.amount
        break
      case 'Underwater':
        if (e.account === INSURANCE_FUND_ACCOUNT) break
        this.underwaterAccounts.add(e.account)
        this.underwaterEpisodes++
        this.deficitAtDetection -= e.equity
        break
      case 'DeficitResolved':
        if (e.account !== INSURANCE_FUND_ACCOUNT) this.addResolved(e) // the fund's own: insuranceFund.flows
        break
      default:
        break
    }
  }

  private addResolved(e: Extract<VenueEvent, { kind: 'DeficitResolved' }>): void {
    const r = this.resolved
    r.deficits++
    r.total += e.deficit
    r.collateral += e.collateral
    r.fund += e.fund
    r.socialized += e.socialized
    r.adl += e.adl
    r.badDebt += e.badDebt
  }

  private noteDeficit(account: number, deficit: number): void {
    if (account === INSURANCE_FUND_ACCOUNT) return
    if (deficit > (this.deficits.get(account) ?? 0)) this.deficits.set(account, deficit)
  }

  /** Samples the fund's equity (as an input with t > 0 arrives: setup is at t = 0). */
  private trackFund(): void {
    const equity = this.fundEquity()
    if (equity < this.fundMin) this.fundMin = equity
  }

  private liquidationSummary(money: (cash: number) => number): RunSummary['liquidations'] {
    const tree = this.treeSeen
    const rows = tree ? tree.generations() : []
    const notional = TAKERS.reduce((sum, taker) => sum + this.byTaker[taker], 0)
    const unattributed = tree?.unattributed ?? { notional: 0, bookNotional: 0, liquidatorNotional: 0, backstopNotional: 0, adlNotional: 0 }
    const owners = new Set<number>()
    if (this.ledger) for (const a of this.liquidated) owners.add(this.ledger.ownerOf(a))
    return {
      count: this.liquidations, accounts: this.liquidated.size, owners: owners.size,
      notional: money(notional),
      bookNotional: money(this.byTaker.book), liquidatorNotional: money(this.byTaker.liquidators),
      backstopNotional: money(this.byTaker.backstop), adlNotional: money(this.byTaker.adl),
      partialSteps: this.partialSteps, roots: tree?.roots ?? 0, generations: rows.length,
      byGeneration: rows.map((r) => ({
        ...r, notional: money(r.notional), bookNotional: money(r.bookNotional), liquidatorNotional: money(r.liquidatorNotional),
        backstopNotional: money(r.backstopNotional), adlNotional: money(r.adlNotional),
      })),
      unattributed: {
        notional: money(unattributed.notional), bookNotional: money(unattributed.bookNotional), liquidatorNotional: money(unattributed.liquidatorNotional),
        backstopNotional: money(unattributed.backstopNotional), adlNotional: money(unattributed.adlNotional),
      },
      shareByTaker: notional === 0 ? null : {
        book: round(this.byTaker.book / notional, 6), liquidators: round(this.byTaker.liquidators / notional, 6),
        backstop: round(this.byTaker.backstop / notional, 6), adl: round(this.byTaker.adl / notional, 6),
      },
      firstMs: this.firstLiquidationMs,
      peakNotionalPerMinute: money(this.perMinute.reduce((a, b) => Math.max(a, b), 0)),
    }
  }

  /** The fund's equity by the venue's margin model (the ledger's, as the time series values it), cash units. */
  private fundEquity(): number {
    return this.ledger ? this.ledger.equity(INSURANCE_FUND_ACCOUNT) : this.fund.equityAtMark()
  }

  private fundSummary(money: (cash: number) => number): RunSummary['insuranceFund'] {
    const end = this.fundEquity()
    return {
      start: money(this.fundStart), end: money(end), min: money(Math.min(this.fundMin, this.fundStart, end)),
      endCash: money(this.fund.flows.cash), endPositionLots: this.fund.flows.lots[0] ?? 0, flows: flowsIn(this.fund.flows, money),
    }
  }

  private gapRiskSummary(money: (cash: number) => number): RunSummary['gapRisk'] {
    const r = this.resolved
    return {
      underwaterAccounts: this.underwaterAccounts.size, underwaterEpisodes: this.underwaterEpisodes,
      deficitAtDetection: money(this.deficitAtDetection), fundDeficits: this.fund.flows.deficits,
      resolved: {
        deficits: r.deficits, total: money(r.total), collateral: money(r.collateral), fund: money(r.fund),
        socialized: money(r.socialized), adl: money(r.adl), badDebt: money(r.badDebt),
      },
    }
  }

  private negativeEquitySummary(money: (cash: number) => number): RunSummary['negativeEquity'] {
    const ledger = this.ledger
    if (ledger) {
      for (let a = 0; a < ledger.accounts; a++) {
        const equity = ledger.equity(a)
        if (equity < 0) this.noteDeficit(a, -equity)
      }
    }
    let deficit = 0
    const owners = new Set<number>()
    for (const [a, d] of [...this.deficits].sort(([x], [y]) => x - y)) {
      deficit += d
      if (ledger) owners.add(ledger.ownerOf(a))
    }
    return { accounts: this.deficits.size, owners: owners.size, deficit: money(deficit) }
  }

  /** Traders (owners) and accounts: counts, liquidated, and per-trader loss. */
  private populationSummary(money: (cash: number) => number): Pick<RunSummary, 'traders' | 'accounts'> {
    const ledger = this.ledger
    const lossByOwner = new Map<number, number>()
    let accounts = 0
    let compartments = 0
    const liquidatedOwners = new Set<number>()
    if (ledger) {
      for (let a = 0; a < ledger.accounts; a++) {
        if (a === INSURANCE_FUND_ACCOUNT) continue
        accounts++
        const owner = ledger.ownerOf(a)
        if (owner !== a) compartments++
        lossByOwner.set(owner, (lossByOwner.get(owner) ?? 0) + ledger.depositedBy(a) - ledger.equity(a))
        if (this.liquidated.has(a)) liquidatedOwners.add(owner)
      }
    }
    const losses = [...lossByOwner.values()].filter((loss) => loss > 0).map(money)
    const traders = lossByOwner.size
    return {
      traders: {
        count: traders, liquidated: liquidatedOwners.size,
        fractionLiquidated: traders > 0 ? round(liquidatedOwners.size / traders, 6) : 0, loss: summariseLosses(losses),
      },
      accounts: {
        count: accounts, compartments, liquidated: this.liquidated.size,
        fractionLiquidated: accounts > 0 ? round(this.liquidated.size / accounts, 6) : 0,
      },
    }
  }
}

/** The fund's flows in quote currency (counts stay counts). */
function flowsIn(f: FundFlows, money: (cash: number) => number): Omit<FundFlows, 'lots'> {
  const { lots: _lots, unwindOrders, unwindLots, deficits, ...cash } = f
  const quoted = Object.fromEntries(Object.entries(cash).map(([k, v]) => [k, money(v)])) as Omit<FundFlows, 'lots' | 'unwindOrders' | 'unwindLots' | 'deficits'>
  return { ...quoted, unwindOrders, unwindLots, deficits }
}

/** Count, total, mean, nearest-rank quantiles and max of positive losses. */
export function summariseLosses(losses: readonly number[]): LossDistribution {
  const sorted = [...losses].sort((a, b) => a - b)
  const n = sorted.length
  const rank = (q: number): number => (n === 0 ? 0 : round(sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))] as number, 6))
  const total = sorted.reduce((a, b) => a + b, 0)
  return {
    withLoss: n, total: round(total, 6), mean: n === 0 ? 0 : round(total / n, 6),
    p50: rank(0.5), p90: rank(0.9), p99: rank(0.99), max: n === 0 ? 0 : round(sorted[n - 1] as number, 6),
  }
}

/** The run summary of an annotated stream (one value when the stream completes). */
export function runSummary(venue: VenueConfig): OperatorFunction<AnnotatedEvent, RunSummary> {
  return foldEvents(() => new RunAggregator(venue), (aggregator, e) => aggregator.add(e), (aggregator) => aggregator.finish())
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}

/** Cash units → quote currency of `venue`, rounded to 6 decimals as everywhere in summary.json. */
export function quoteOf(venue: Pick<VenueConfig, 'cashUnit'>): (cash: number) => number {
  return (cash) => round(cash * venue.cashUnit, 6)
}
