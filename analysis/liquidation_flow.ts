// Which events close a liquidated position, who took it, and how much: the one definition of
// "liquidated notional" that the cascade tree, the run summary, the time series and the exported
// tables all use. Four takers, in the order the engine tries them (docs/liquidation.md):
//
//   event                                taker         liquidated account   notional (cash units)
//   Fill with liquidation = true         book          taker                lots · price · cashPerTickLot
//   LiquidatorTakeover                   liquidators   account              lots · price · cashPerTickLot
//   BackstopTakeover                     backstop      account              lots · price · cashPerTickLot
//   AutoDeleverage                       adl           bankrupt             lots · price (bankruptcy) · cashPerTickLot
//
// except the insurance fund's own trades: its unwind fills (liquidation = true, taker = the fund)
// reach back to the takeover's step but close nothing of the liquidated account, and the ADL of
// the fund's positions (bankrupt = the fund) resolves the fund's deficit, not a liquidation.
//
// Notional is an integer number of cash units (lots, ticks and cashPerTickLot are integers), so
// sums of it are exact. Goals: one classifier, no allocation per event. Non-goal: valuing the
// later unwinds of what liquidators and the backstop took (those are ordinary trades).

import type { VenueEvent } from '../engine/events.js'
import { INSURANCE_FUND_ACCOUNT } from '../engine/venue_config.js'

export type Taker = 'book' | 'liquidators' | 'backstop' | 'adl'
/** The takers in the order the engine offers a liquidated position to them. */
export const TAKERS: readonly Taker[] = ['book', 'liquidators', 'backstop', 'adl']

/** One closing of (part of) a liquidated position. Reused by closingOf: read it, never keep it. */
export interface Closing {
  taker: Taker
  /** The liquidated account whose position was closed. */
  account: number
  instrument: number
  lots: number
  priceTicks: number
  /** lots · priceTicks · cashPerTickLot, cash units (an integer). */
  notional: number
}

const scratch: Closing = { taker: 'book', account: -1, instrument: 0, lots: 0, priceTicks: 0, notional: 0 }

/** The closing `e` makes (the shared scratch object), or null if `e` closes no liquidated position. */
export function closingOf(e: VenueEvent, cashPerTickLot: readonly number[]): Closing | null {
  let taker: Taker
  let account: number
  switch (e.kind) {
    case 'Fill':
      if (!e.liquidation || e.taker === INSURANCE_FUND_ACCOUNT) return null
      taker = 'book'
      account = e.taker
      break
    case 'LiquidatorTakeover':
      taker = 'liquidators'
      account = e.account
      break
    case 'BackstopTakeover':
      taker = 'backstop'
      account = e.account
      break
    case 'AutoDeleverage':
      if (e.bankrupt === INSURANCE_FUND_ACCOUNT) return null
      taker = 'adl'
      account = e.bankrupt
      break
    default:
      return null
  }
  scratch.taker = taker
  scratch.account = account
  scratch.instrument = e.instrument
  scratch.lots = e.lots
  scratch.priceTicks = e.priceTicks
  scratch.notional = e.lots * e.priceTicks * (cashPerTickLot[e.instrument] ?? 0)
  return scratch
}
