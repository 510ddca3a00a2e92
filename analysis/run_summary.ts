// The run summary, computed from the event stream alone (live, or from a journal): price path
// and amplification, liquidations by generation (the cascade tree's table, cascade_tree.ts),
// insurance fund, bad debt, auto-deleveraging, socialised loss, fees, event counts.
// Money is reported in the quote currency, prices in quote currency per base unit.

import type { VenueEvent } from '../engine/events.js'
import type { VenueConfig } from '../engine/venue_config.js'
import { CascadeTree, type CascadeGenerationRow, type NotionalByTaker } from './cascade_tree.js'

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
  /** The insurance fund account, valued at mark (equity = cash + backstop positions). */
  insuranceFund: { start: number; end: number; min: number; endCash: number; endPositionLots: number }
  badDebt: number
  /** Positions reduced by auto-deleveraging (events, accounts, notional at the bankruptcy price). */
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
  private adlEvents = 0
  private partialSteps = 0
  private socializedLoss = 0
  private liquidatorRewards = 0
  private fundCash = 0
  private fundLots = 0
  private fundStart: number | null = null
  private fundMin = Infinity
  private badDebt = 0
  private fees = 0
  private readonly tickSize: number
  private readonly cashPerTickLot: number

  constructor(private readonly venue: VenueConfig, private readonly fundAccount = 0) {
    this.tree = new CascadeTree(venue)
    this.tickSize = venue.instruments[0]!.tickSize
    this.cashPerTickLot = venue.instruments[0]!.cashPerTickLot
  }

  /** Adds the next event (in seq order). */
  add(e: VenueEvent): void {
    this.events++
    this.lastT = e.t
    this.kinds[e.kind] = (this.kinds[e.kind] ?? 0) + 1
    this.tree.add(e)
    if (this.fundStart === null && e.t > 0) this.fundStart = this.fundEquity()
    switch (e.kind) {
      case 'MarkPrice':
        if (e.instrument !== 0) break
        if (this.startMark === 0) this.startMark = e.priceTicks
        this.finalMark = e.priceTicks
        this.minMark = Math.min(this.minMark, e.priceTicks)
        this.mark.add(e.priceTicks)
        this.trackFund()
        break
      case 'ExternalPrice':
        if (e.asset === this.venue.instruments[0]!.baseAsset) this.exogenous.add(e.exogenousTicks)
        break
      case 'Deposit':
        if (e.account === this.fundAccount && e.asset === 0) this.moveFund(e.amount)
        break
      case 'Liquidation':
        this.liquidations++
        if (e.mode === 'partial') this.partialSteps++
        this.liquidatedAccounts.add(e.account)
        break
      case 'Fill':
        this.fees += e.takerFee + e.makerFee
        if (e.liquidation) this.bookNotional += this.notionalOf(e.instrument, e.lots, e.priceTicks)
        break
      case 'LiquidatorTakeover':
        this.liquidatorNotional += this.notionalOf(e.instrument, e.lots, e.priceTicks)
        break
      case 'LiquidatorReward':
        this.liquidatorRewards += e.amount
        break
      case 'BackstopTakeover': {
        const notional = this.notionalOf(e.instrument, e.lots, e.priceTicks)
        this.backstopNotional += notional
        // The fund takes the other side of the liquidated account's closing trade (instrument 0 tracked).
        if (e.instrument === 0) this.fundTrades(e.side === 'sell', e.lots, notional)
        break
      }
      case 'AutoDeleverage': {
        const notional = this.notionalOf(e.instrument, e.lots, e.priceTicks)
        this.adlNotional += notional
        this.adlEvents++
        this.deleveragedAccounts.add(e.account)
        if (e.account === this.fundAccount && e.instrument === 0) this.fundTrades(e.side === 'buy', e.lots, notional)
        break
      }
      case 'SocializedLoss':
        this.socializedLoss += e.amount
        break
      case 'LiquidationPenalty':
        this.moveFund(e.amount)
        break
      case 'FundPayout':
        this.moveFund(-e.amount)
        break
      case 'BadDebt':
        this.badDebt += e.amount
        break
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
        min: money(Math.min(this.fundMin, fundStart)),
        endCash: money(this.fundCash),
        endPositionLots: this.fundLots,
      },
      badDebt: money(this.badDebt),
      autoDeleverage: { events: this.adlEvents, accounts: this.deleveragedAccounts.size, notional: money(this.adlNotional) },
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

  /** The fund traded `lots` of instrument 0 (bought if `buys`) worth `notional` cash units. */
  private fundTrades(buys: boolean, lots: number, notional: number): void {
    this.fundLots += buys ? lots : -lots
    this.moveFund(buys ? -notional : notional)
  }

  private moveFund(delta: number): void {
    this.fundCash += delta
    this.trackFund()
  }

  private fundEquity(): number {
    return this.fundCash + this.fundLots * this.finalMark * this.cashPerTickLot
  }

  private trackFund(): void {
    if (this.fundStart !== null) this.fundMin = Math.min(this.fundMin, this.fundEquity())
  }
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}
