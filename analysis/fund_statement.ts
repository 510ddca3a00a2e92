// The insurance fund's statement (account 0), from the event stream alone: every flow in or out
// of its cash, by source, and its positions, so that
//
//   cash  = deposits + penalties − payouts − collateral bought + takeover flows + unwind flows
//           + ADL flows + socialised to the fund + bad debt written to the fund + funding
//   lots  = Σ takeovers + unwinds + ADL trades, per instrument
//   equity at mark = cash + Σ lots · mark · cash per tick·lot + seized collateral (at cost here)
//
// reconciles exactly with the venue's own books (test/unit/fund_accounting.test.ts, for every
// named scenario). Trade flows are cash: −lots·price·cpt when the fund buys, + when it sells.
// Money in cash units.

import type { VenueEvent } from '../engine/events.js'
import { INSURANCE_FUND_ACCOUNT, type VenueConfig } from '../engine/venue_config.js'

/** The fund's flows by source (cash units) and positions (lots per instrument). */
export interface FundFlows {
  deposits: number
  penalties: number
  payouts: number
  /** Cash paid for seized collateral (its haircut value at seizure). */
  collateralBought: number
  takeovers: number
  unwinds: number
  adl: number
  socializedToFund: number
  badDebtToFund: number
  funding: number
  /** Cash units, the sum of the above (payouts and collateral bought subtracted). */
  cash: number
  lots: number[]
  /** Unwind orders sent, lots filled, notional filled. */
  unwindOrders: number
  unwindLots: number
  unwindNotional: number
  /** Times the fund's equity was found below zero (each resolved at once), what was covered, how much by deleveraging the fund. */
  deficits: number
  deficitsCovered: number
  deficitsByAdl: number
}

/** Folds events into the fund's statement. */
export class FundStatement {
  readonly flows: FundFlows
  private readonly cpt: number[]
  readonly markTicks: number[]

  constructor(venue: Pick<VenueConfig, 'instruments'>, private readonly fund = INSURANCE_FUND_ACCOUNT) {
    this.cpt = venue.instruments.map((x) => x.cashPerTickLot)
    this.markTicks = venue.instruments.map(() => 0)
    this.flows = {
      deposits: 0, penalties: 0, payouts: 0, collateralBought: 0, takeovers: 0, unwinds: 0, adl: 0, socializedToFund: 0,
      badDebtToFund: 0, funding: 0, cash: 0, lots: venue.instruments.map(() => 0),
      unwindOrders: 0, unwindLots: 0, unwindNotional: 0, deficits: 0, deficitsCovered: 0, deficitsByAdl: 0,
    }
  }

  /** Adds the next event. */
  add(e: VenueEvent): void {
    const f = this.flows
    const fund = this.fund
    switch (e.kind) {
      case 'MarkPrice':
        this.markTicks[e.instrument] = e.priceTicks
        break
      case 'Deposit':
        if (e.account === fund && e.asset === 0) f.deposits += this.cash(e.amount)
        break
      case 'LiquidationPenalty':
        f.penalties += this.cash(e.amount)
        break
      case 'FundPayout':
        this.cash(-e.amount)
        f.payouts += e.amount
        break
      case 'CollateralSeized':
        this.cash(-e.amount)
        f.collateralBought += e.amount
        break
      case 'BackstopTakeover': // the fund trades opposite the liquidated account's `side`
        f.takeovers += this.trade(e.instrument, e.side === 'sell', e.lots, e.priceTicks)
        break
      case 'FundUnwind':
        f.unwindOrders++
        break
      case 'Fill':
        if (e.taker === fund) {
          f.unwinds += this.trade(e.instrument, e.side === 'buy', e.lots, e.priceTicks)
          f.unwindLots += e.lots
          f.unwindNotional += e.lots * e.priceTicks * (this.cpt[e.instrument] ?? 0)
        }
        break
      case 'AutoDeleverage': // `side` is the reduced account's trade; the bankrupt one trades the other way
        if (e.account === fund) f.adl += this.trade(e.instrument, e.side === 'buy', e.lots, e.priceTicks)
        if (e.bankrupt === fund) f.adl += this.trade(e.instrument, e.side === 'sell', e.lots, e.priceTicks)
        break
      case 'SocializedLoss':
        if (e.bankrupt === fund) f.socializedToFund += this.cash(e.amount)
        break
      case 'BadDebt':
        if (e.account === fund) f.badDebtToFund += this.cash(e.amount)
        break
      case 'FundingPayment':
        if (e.account === fund) f.funding += this.cash(e.amount)
        break
      case 'Underwater':
        if (e.account === fund) f.deficits++
        break
      case 'DeficitResolved':
        if (e.account === fund) {
          f.deficitsCovered += e.deficit
          f.deficitsByAdl += e.adl
        }
        break
      default:
        break
    }
  }

  /** Equity at the last marks, seized collateral at what the fund paid for it (cash units); the run summary values the fund by the ledger's margin model instead, and uses this only without a ledger. */
  equityAtMark(): number {
    const f = this.flows
    let equity = f.cash + f.collateralBought
    f.lots.forEach((lots, i) => { equity += lots * (this.markTicks[i] as number) * (this.cpt[i] as number) })
    return equity
  }

  private cash(amount: number): number {
    this.flows.cash += amount
    return amount
  }

  /** The fund bought (`buys`) or sold `lots` of `i` at `priceTicks`; returns the cash flow. */
  private trade(i: number, buys: boolean, lots: number, priceTicks: number): number {
    this.flows.lots[i] = (this.flows.lots[i] as number) + (buys ? lots : -lots)
    return this.cash((buys ? -1 : 1) * lots * priceTicks * (this.cpt[i] as number))
  }
}
