// Socialised loss ("clawback"): in 'socialized' mode, the part of a bankrupt account's deficit
// that the insurance fund cannot pay is charged to every holder of the opposite side of the
// position that went bankrupt, pro rata to the lots they hold, instead of becoming bad debt.
//
//   share_b = floor(deficit · lots_b / Σ lots),  capped at b's equity (floored, ≥ 0)
//
// then the units lost to flooring are charged one at a time to holders in account order (where
// their cap allows). What the caps leave uncovered stays a deficit (the caller books it as bad
// debt). Each charge is a SocializedLoss event; the holders are re-checked for liquidation,
// since paying may push them below maintenance. The fund and the bankrupt account never pay.

import { INSURANCE_FUND_ACCOUNT } from '../venue_config.js'
import type { Venue } from '../venue.js'

/** Spreads deficits over opposing holders. */
export class SocializedLosses {
  private readonly holders: number[] = []
  private readonly charges: number[] = []

  constructor(private readonly venue: Venue, private readonly touch: (account: number) => void) {}

  /** Charges `deficit` cash units of bankrupt `a` to holders of `i` with position sign `sign`; returns what could not be charged. */
  run(t: number, cause: number, a: number, i: number, sign: number, deficit: number): number {
    const accounts = this.venue.accounts
    const holders = this.holders
    const charges = this.charges
    holders.length = 0
    charges.length = 0
    let totalLots = 0
    for (let b = 0; b < accounts.count; b++) {
      if (b === a || b === INSURANCE_FUND_ACCOUNT) continue
      const lots = accounts.position(b, i)
      if (lots === 0 || (lots > 0 ? 1 : -1) !== sign) continue
      holders.push(b)
      totalLots += Math.abs(lots)
    }
    if (totalLots === 0) return deficit
    let charged = 0
    for (const b of holders) {
      const share = Math.floor((deficit * Math.abs(accounts.position(b, i))) / totalLots)
      const charge = Math.min(share, this.capOf(b))
      charges.push(charge)
      charged += charge
    }
    for (let k = 0; k < holders.length && charged < deficit; k++) {
      if ((charges[k] as number) < this.capOf(holders[k] as number)) {
        charges[k] = (charges[k] as number) + 1
        charged++
      }
    }
    for (let k = 0; k < holders.length; k++) {
      const amount = charges[k] as number
      if (amount === 0) continue
      const b = holders[k] as number
      this.venue.transfer(b, a, amount)
      this.touch(b)
      this.venue.emit({ kind: 'SocializedLoss', seq: 0, t, cause, account: b, bankrupt: a, instrument: i, amount })
    }
    return deficit - charged
  }

  /** Most a holder can pay: its equity, floored, never below zero. */
  private capOf(b: number): number {
    return Math.max(0, Math.floor(this.venue.margin.equity(this.venue.accounts, b)))
  }
}
