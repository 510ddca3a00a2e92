// The liquidation penalty: a rate (from the instrument's liquidation curve) on the notional a
// step closes, valued at the mark, floored to cash units. It is paid out of what the liquidated
// pool has left in cash and positions — never out of its non-cash collateral and never beyond
// zero, so a penalty can not create a deficit:
//
//   charged     = min(due, max(0, floor(equity − collateral value)))
//   liquidator  = floor(charged · liquidatorPenaltyShare)   when a liquidator took the lots
//   fund        = charged − liquidator
//
// The liquidator's part is its reward for taking the position at mark (the "discount" it bids
// for); book fills and backstop takeovers pay the whole penalty to the fund.

import type { Venue } from '../venue.js'
import { INSURANCE_FUND_ACCOUNT } from '../venue_config.js'

/** Sentinel liquidator: the penalty goes to the fund alone. */
export const NO_LIQUIDATOR = -1

/** Charges up to `due` cash units from account `a`, split between `liquidator` (share `liquidatorShare`) and the fund; returns the amount charged. */
export function chargePenalty(
  venue: Venue, t: number, cause: number, a: number, due: number, liquidator: number, liquidatorShare: number,
): number {
  const { margin, accounts } = venue
  const available = Math.floor(margin.equity(accounts, a) - margin.collateralValue(accounts, a))
  const charged = Math.min(due, Math.max(0, available))
  if (charged <= 0) return 0
  const reward = liquidator === NO_LIQUIDATOR ? 0 : Math.floor(charged * liquidatorShare)
  const toFund = charged - reward
  if (reward > 0) {
    venue.transfer(a, liquidator, reward)
    venue.emit({ kind: 'LiquidatorReward', seq: 0, t, cause, account: a, liquidator, amount: reward })
  }
  if (toFund > 0) {
    venue.transfer(a, INSURANCE_FUND_ACCOUNT, toFund)
    venue.emit({ kind: 'LiquidationPenalty', seq: 0, t, cause, account: a, amount: toFund })
  }
  return charged
}
