// The run summary, computed from the event stream alone (live, or from a journal): price path
// and amplification, liquidations by generation, insurance fund, bad debt, fees, event counts.
// Money is reported in the quote currency, prices in quote currency per base unit.

import type { VenueEvent } from '../engine/events.js'
import type { VenueConfig } from '../engine/venue_config.js'
import { CascadeGenerations } from './cascade_generations.js'

export interface GenerationRow { generation: number; liquidations: number; notional: number }

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
  liquidations: {
    count: number
    accounts: number
    /** Notional closed by liquidations (book fills + backstop), quote currency. */
    notional: number
    bookNotional: number
    backstopNotional: number
    /** Depth of the cascade: number of generations (0 if no liquidation). */
    generations: number
    byGeneration: GenerationRow[]
  }
  /** The insurance fund account, valued at mark (equity = cash + backstop positions). */
  insuranceFund: { start: number; end: number; min: number; endCash: number; endPositionLots: number }
  badDebt: number
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
  private readonly generations = new CascadeGenerations()
  private readonly byGeneration: GenerationRow[] = []
  private readonly liquidatedAccounts = new Set<number>()
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
  private backstopNotional = 0
  private fundCash = 0
  private fundLots = 0
  private fundStart: number | null = null
  private fundMin = Infinity
  private badDebt = 0
  private fees = 0
  private readonly tickSize: number
  private readonly cashPerTickLot: number

  constructor(private readonly venue: VenueConfig, private readonly fundAccount = 0) {
    this.tickSize = venue.instruments[0]!.tickSize
    this.cashPerTickLot = venue.instruments[0]!.cashPerTickLot
  }

  /** Adds the next event (in seq order). */
  add(e: VenueEvent): void {
    this.events++
    this.lastT = e.t
    this.kinds[e.kind] = (this.kinds[e.kind] ?? 0) + 1
    const generation = this.generations.add(e)
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
        this.liquidatedAccounts.add(e.account)
        this.row(generation).liquidations++
        break
      case 'Fill':
        this.fees += e.takerFee + e.makerFee
        if (e.liquidation) {
          const notional = e.lots * e.priceTicks * this.cashPerTickLot
          this.bookNotional += notional
          this.row(generation).notional += notional
        }
        break
      case 'BackstopTakeover': {
        const notional = e.lots * e.priceTicks * this.cashPerTickLot
        this.backstopNotional += notional
        this.row(generation).notional += notional
        // The fund takes the other side of the liquidated account's closing trade.
        const fundBuys = e.side === 'sell'
        this.fundLots += fundBuys ? e.lots : -e.lots
        this.moveFund(fundBuys ? -notional : notional)
        break
      }
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
        notional: money(this.bookNotional + this.backstopNotional),
        bookNotional: money(this.bookNotional),
        backstopNotional: money(this.backstopNotional),
        generations: this.byGeneration.length,
        byGeneration: this.byGeneration.map((r) => ({ ...r, notional: money(r.notional) })),
      },
      insuranceFund: {
        start: money(fundStart),
        end: money(this.fundEquity()),
        min: money(Math.min(this.fundMin, fundStart)),
        endCash: money(this.fundCash),
        endPositionLots: this.fundLots,
      },
      badDebt: money(this.badDebt),
      fees: money(this.fees),
    }
  }

  private row(generation: number): GenerationRow {
    const g = Math.max(0, generation)
    while (this.byGeneration.length <= g) this.byGeneration.push({ generation: this.byGeneration.length, liquidations: 0, notional: 0 })
    return this.byGeneration[g] as GenerationRow
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
