// The run summary, computed from the event stream alone (live, or from a journal): price path
// and amplification, liquidations by generation (the cascade tree's table, cascade_tree.ts),
// insurance fund, bad debt, auto-deleveraging, socialised loss, fees, event counts.
// Money is reported in the quote currency, prices in quote currency per base unit.

import { isInput, type VenueEvent } from '../engine/events.js'
import type { VenueConfig } from '../engine/venue_config.js'
import { CascadeTree, type CascadeGenerationRow, type NotionalByTaker } from './cascade_tree.js'
import { FundStatement, type FundFlows } from './fund_statement.js'

/** One generation of the cascade: steps, distinct accounts, notional closed by taker (quote currency here). */
export type GenerationRow = CascadeGenerationRow

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
  }
  /** Notional closed (quote currency) by taker. */
  liquidations: NotionalByTaker & {
    count: number
    accounts: number
    /** Steps that closed part of a position (the rest are full). */
    partialSteps: number
    /** Steps set off by no earlier liquidation (roots of the cascade tree). */
    roots: number
    /** Depth of the cascade: number of generations (0 if no liquidation). */
    generations: number
    byGeneration: GenerationRow[]
  }
  /**
   * The insurance fund account, valued at mark (equity = cash + positions at mark + seized
   * collateral at what it paid; start and min at input boundaries) and its statement (analysis/fund_statement.ts, quote currency).
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
  autoDeleverage: { events: number; accounts: number; notional: number }
  /** Deficits charged to opposing holders (quote currency). */
  socializedLoss: number
  /** Penalty paid to liquidators (quote currency). */
  liquidatorRewards: number
  fees: number
}

class Drawdown {
  peak = -Infinity
  worst = 0
  add(price: number): void {
    if (price > this.peak) this.peak = price
    else if (this.peak > 0) this.worst = Math.max(this.worst, (this.peak - price) / this.peak)
  }
}

/** Accumulates a RunSummary event by event (for the insurance fund account 0, instrument 0's mark). */
export class RunSummaryBuilder {
  private readonly tree: CascadeTree
  private readonly liquidatedAccounts = new Set<number>()
  private readonly deleveragedAccounts = new Set<number>()
  private readonly kinds: Record<string, number> = {}
  private readonly mark = new Drawdown()
  private readonly exogenous = new Drawdown()
  private events = 0
  private lastT = 0
  private startMark = 0
  private minMark = Infinity
  private finalMark = 0
  private liquidations = 0
  private bookNotional = 0
  private liquidatorNotional = 0
  private backstopNotional = 0
  private adlNotional = 0
  /** ADL of the fund's own positions (its deficits): ADL volume, but not liquidated notional. */
  private fundAdlNotional = 0
  private adlEvents = 0
  private partialSteps = 0
  private socializedLoss = 0
  private liquidatorRewards = 0
  private readonly fund: FundStatement
  private readonly underwaterAccounts = new Set<number>()
  private underwaterEpisodes = 0
  private deficitAtDetection = 0
  private readonly resolved = { deficits: 0, total: 0, collateral: 0, fund: 0, socialized: 0, adl: 0, badDebt: 0 }
  private fundStart: number | null = null
  private fundMin = Infinity
  private badDebt = 0
  private fees = 0
  private readonly tickSize: number

  constructor(private readonly venue: VenueConfig, private readonly fundAccount = 0) {
    this.tree = new CascadeTree(venue)
    this.fund = new FundStatement(venue, fundAccount)
    this.tickSize = venue.instruments[0]!.tickSize
  }

  /** Adds the next event (in seq order). */
  add(e: VenueEvent): void {
    this.events++
    this.lastT = e.t
    this.kinds[e.kind] = (this.kinds[e.kind] ?? 0) + 1
    this.tree.add(e)
    if (this.fundStart === null && e.t > 0) this.fundStart = this.fundEquity()
    // The fund's equity is sampled as each input arrives, i.e. after the previous input's outcomes:
    // within an input it can dip below zero until its deficit is resolved (DeficitResolved).
    if (isInput(e)) this.trackFund()
    this.fund.add(e)
    switch (e.kind) {
      case 'MarkPrice':
        if (e.instrument !== 0) break
        if (this.startMark === 0) this.startMark = e.priceTicks
        this.finalMark = e.priceTicks
        this.minMark = Math.min(this.minMark, e.priceTicks)
        this.mark.add(e.priceTicks)
        break
      case 'ExternalPrice':
        if (e.asset === this.venue.instruments[0]!.baseAsset) this.exogenous.add(e.exogenousTicks)
        break
      case 'Liquidation':
        this.liquidations++
        if (e.mode === 'partial') this.partialSteps++
        this.liquidatedAccounts.add(e.account)
        break
      case 'Fill':
        this.fees += e.takerFee + e.makerFee
        if (e.liquidation && e.taker !== this.fundAccount) this.bookNotional += this.notionalOf(e.instrument, e.lots, e.priceTicks)
        break
      case 'LiquidatorTakeover':
        this.liquidatorNotional += this.notionalOf(e.instrument, e.lots, e.priceTicks)
        break
      case 'LiquidatorReward':
        this.liquidatorRewards += e.amount
        break
      case 'BackstopTakeover':
        this.backstopNotional += this.notionalOf(e.instrument, e.lots, e.priceTicks)
        break
      case 'AutoDeleverage':
        if (e.bankrupt === this.fundAccount) this.fundAdlNotional += this.notionalOf(e.instrument, e.lots, e.priceTicks)
        else this.adlNotional += this.notionalOf(e.instrument, e.lots, e.priceTicks)
        this.adlEvents++
        this.deleveragedAccounts.add(e.account)
        break
      case 'SocializedLoss':
        this.socializedLoss += e.amount
        break
      case 'BadDebt':
        this.badDebt += e.amount
        break
      case 'Underwater':
        if (e.account === this.fundAccount) break
        this.underwaterAccounts.add(e.account)
        this.underwaterEpisodes++
        this.deficitAtDetection -= e.equity
        break
      case 'DeficitResolved': {
        if (e.account === this.fundAccount) break // the fund's own: insuranceFund.flows
        const r = this.resolved
        r.deficits++
        r.total += e.deficit
        r.collateral += e.collateral
        r.fund += e.fund
        r.socialized += e.socialized
        r.adl += e.adl
        r.badDebt += e.badDebt
        break
      }
      default:
        break
    }
  }

  /** The summary so far. */
  finish(): RunSummary {
    const quote = this.venue.cashUnit
    const money = (cash: number): number => round(cash * quote, 6)
    const price = (ticks: number): number => round(ticks * this.tickSize, 8)
    const exogenousDrawdown = round(this.exogenous.worst, 6)
    const markDrawdown = round(this.mark.worst, 6)
    const fundStart = this.fundStart ?? this.fundEquity()
    const byGeneration: GenerationRow[] = this.tree.generations().map((r) => ({
      ...r, notional: money(r.notional), bookNotional: money(r.bookNotional), liquidatorNotional: money(r.liquidatorNotional),
      backstopNotional: money(r.backstopNotional), adlNotional: money(r.adlNotional),
    }))
    return {
      events: this.events,
      simulatedMs: this.lastT,
      eventsByKind: Object.fromEntries(Object.entries(this.kinds).sort(([a], [b]) => (a < b ? -1 : 1))),
      price: {
        startMark: price(this.startMark),
        minMark: price(this.minMark === Infinity ? 0 : this.minMark),
        finalMark: price(this.finalMark),
        exogenousDrawdown,
        markDrawdown,
        amplification: exogenousDrawdown > 0 ? round(markDrawdown / exogenousDrawdown, 4) : null,
      },
      liquidations: {
        count: this.liquidations,
        accounts: this.liquidatedAccounts.size,
        notional: money(this.bookNotional + this.liquidatorNotional + this.backstopNotional + this.adlNotional),
        bookNotional: money(this.bookNotional),
        liquidatorNotional: money(this.liquidatorNotional),
        backstopNotional: money(this.backstopNotional),
        adlNotional: money(this.adlNotional),
        partialSteps: this.partialSteps,
        roots: this.tree.roots,
        generations: byGeneration.length,
        byGeneration,
      },
      insuranceFund: {
        start: money(fundStart),
        end: money(this.fundEquity()),
        min: money(Math.min(this.fundMin, fundStart, this.fundEquity())),
        endCash: money(this.fund.flows.cash),
        endPositionLots: this.fund.flows.lots[0] ?? 0,
        flows: flowsIn(this.fund.flows, money),
      },
      badDebt: money(this.badDebt),
      gapRisk: {
        underwaterAccounts: this.underwaterAccounts.size,
        underwaterEpisodes: this.underwaterEpisodes,
        deficitAtDetection: money(this.deficitAtDetection),
        fundDeficits: this.fund.flows.deficits,
        resolved: {
          deficits: this.resolved.deficits, total: money(this.resolved.total), collateral: money(this.resolved.collateral),
          fund: money(this.resolved.fund), socialized: money(this.resolved.socialized), adl: money(this.resolved.adl),
          badDebt: money(this.resolved.badDebt),
        },
      },
      autoDeleverage: { events: this.adlEvents, accounts: this.deleveragedAccounts.size, notional: money(this.adlNotional + this.fundAdlNotional) },
      socializedLoss: money(this.socializedLoss),
      liquidatorRewards: money(this.liquidatorRewards),
      fees: money(this.fees),
    }
  }

  /** The cascade tree built so far (steps, parents, chains). */
  get cascade(): CascadeTree {
    return this.tree
  }

  private notionalOf(i: number, lots: number, priceTicks: number): number {
    return lots * priceTicks * (this.venue.instruments[i]?.cashPerTickLot ?? 0)
  }

  private fundEquity(): number {
    return this.fund.equityAtMark()
  }

  private trackFund(): void {
    if (this.fundStart !== null) this.fundMin = Math.min(this.fundMin, this.fundEquity())
  }
}

/** The fund's flows in quote currency (counts stay counts). */
function flowsIn(f: FundFlows, money: (cash: number) => number): Omit<FundFlows, 'lots'> {
  const { lots: _lots, unwindOrders, unwindLots, deficits, ...cash } = f
  const quoted = Object.fromEntries(Object.entries(cash).map(([k, v]) => [k, money(v)])) as Omit<FundFlows, 'lots' | 'unwindOrders' | 'unwindLots' | 'deficits'>
  return { ...quoted, unwindOrders, unwindLots, deficits }
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}
