// Settling a flat account's deficit (negative cash left after its positions were closed below
// its bankruptcy price), in order:
//
//   1. its non-cash collateral is seized by the insurance fund, at haircut value (floored), just
//      enough units to cover the deficit;
//   2. the insurance fund pays, up to its free capital (equity − reserve − initial margin of the
//      positions it took over as backstop: backstop.ts);
//   3. 'socialized' mode: the rest is charged to the holders of the opposite side of the
//      position that went bankrupt, pro rata (socialized_loss.ts);
//   4. whatever is left is bad debt: written off, the account reset to zero.
//
// A DeficitResolved event totals the parts (deficit_record.ts).
//
// In 'adl' mode losses beyond the fund are absorbed earlier, by deleveraging positions at the
// bankruptcy price (auto_deleverage.ts); a deficit reaches step 4 only when the positions were
// already gone (closed by the book or a liquidator while the fund still had capital).

import type { Venue } from '../venue.js'
import { INSURANCE_FUND_ACCOUNT } from '../venue_config.js'
import type { Backstop } from './backstop.js'
import type { DeficitRecorder } from './deficit_record.js'
import type { DeficitMode } from './liquidation_config.js'
import type { SocializedLosses } from './socialized_loss.js'

/** Collateral seizure, fund payout, socialised loss and bad debt for flat accounts below zero. */
export class DeficitSettlement {
  constructor(
    private readonly venue: Venue,
    private readonly mode: DeficitMode,
    private readonly backstop: Backstop,
    private readonly socialized: SocializedLosses,
    private readonly recorder: DeficitRecorder,
  ) {}

  /** Settles flat account `a`'s negative cash; `i` and `sign` name the bankrupt position (instrument or -1, +1 long). */
  settle(t: number, cause: number, a: number, i: number, sign: number): void {
    const venue = this.venue
    const cash = venue.accounts.cash
    const record = this.recorder.open(t, cause, a)
    if ((cash[a] as number) < 0) record.collateral = this.seizeCollateral(t, cause, a)
    const deficit = -(cash[a] as number)
    if (deficit > 0) {
      const payout = Math.min(deficit, Math.max(0, Math.floor(this.backstop.freeCapital())))
      if (payout > 0) {
        venue.transfer(INSURANCE_FUND_ACCOUNT, a, payout)
        venue.emit({ kind: 'FundPayout', seq: 0, t, cause, account: a, amount: payout })
      }
      record.fund = payout
      let unpaid = deficit - payout
      if (unpaid > 0 && this.mode === 'socialized' && i >= 0) {
        const left = this.socialized.run(t, cause, a, i, -sign, unpaid)
        record.socialized = unpaid - left
        unpaid = left
      }
      if (unpaid > 0) record.badDebt = this.recorder.writeOff(t, cause, a, unpaid)
    }
    this.recorder.close(record)
  }

  /**
   * Covers account `a`'s negative cash with its non-cash collateral, asset by asset: the fund takes
   * just enough units (all of them if their value does not cover the deficit) and credits their
   * haircut value, floored to cash units. Per-asset balances and cash both stay conserved.
   * Returns the cash units credited.
   */
  private seizeCollateral(t: number, cause: number, a: number): number {
    let credited = 0
    const venue = this.venue
    const store = venue.accounts
    const margin = venue.margin
    for (let k = 1; k < margin.assets && (store.cash[a] as number) < 0; k++) {
      const held = store.balance(a, k)
      if (held <= 0) continue
      const deficit = -(store.cash[a] as number)
      const valueAll = margin.collateralValueOf(k, held)
      let units = held
      if (valueAll > deficit) units = Math.min(held, Math.ceil(deficit / (valueAll / held)))
      const amount = Math.floor(margin.collateralValueOf(k, held) - margin.collateralValueOf(k, held - units))
      if (amount <= 0) continue // worthless as collateral (haircut 1): nothing to gain
      store.credit(a, k, -units)
      store.credit(INSURANCE_FUND_ACCOUNT, k, units)
      venue.transfer(INSURANCE_FUND_ACCOUNT, a, amount)
      venue.emit({ kind: 'CollateralSeized', seq: 0, t, cause, account: a, asset: k, units, amount })
      credited += amount
    }
    return credited
  }
}
