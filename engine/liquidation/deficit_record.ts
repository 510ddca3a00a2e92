// Gap risk, made countable. An account can be below zero equity — past its bankruptcy price —
// when the liquidation engine reaches it: the oracle jumped, the book was empty or outside the
// band, the liquidation was delayed (liquidationDelayMs). That is recorded, and so is how every
// deficit was resolved:
//
//   Underwater {account, equity, maintenanceMargin}   the engine reached an account with equity
//       < 0 (once per liquidation episode; for the fund: each time its equity is found < 0)
//   DeficitResolved {account, deficit, collateral, fund, socialized, adl, badDebt}
//       one resolution of a deficit, by part (cash units): seized collateral, fund payout,
//       charged to opposing holders, absorbed by auto-deleveraging at the bankruptcy price
//       (the rise in the account's equity that ADL gave it), written off as bad debt;
//       deficit = the sum of the parts
//
// The parts' own events (CollateralSeized, FundPayout, SocializedLoss, AutoDeleverage, BadDebt)
// stay as they were; DeficitResolved is their per-deficit total, so the analysis layer can
// aggregate gap risk without rebuilding balances.

import type { Venue } from '../venue.js'

/** The resolution of one deficit, filled in by its resolver (cash units). */
export interface DeficitRecord {
  t: number
  cause: number
  account: number
  collateral: number
  fund: number
  socialized: number
  adl: number
  badDebt: number
}

/** Emits Underwater and DeficitResolved events, and writes off bad debt. */
export class DeficitRecorder {
  constructor(private readonly venue: Venue) {}

  /** The part of a deficit (−equityBefore, cash units) that ADL absorbed: the rise in equity, at most the deficit. */
  static adlAbsorbed(equityBefore: number, equityAfter: number): number {
    return Math.max(0, Math.min(-equityBefore, equityAfter - equityBefore))
  }

  /** Records that the engine reached account `a` below zero equity; returns the event's seq. */
  underwater(t: number, cause: number, a: number): number {
    const { margin, accounts } = this.venue
    return this.venue.emit({
      kind: 'Underwater', seq: 0, t, cause, account: a,
      equity: margin.equity(accounts, a), maintenanceMargin: margin.maintenanceMargin(accounts, a),
    }).seq
  }

  /** A new, empty record of a deficit of `a` resolved under `cause`. */
  open(t: number, cause: number, a: number): DeficitRecord {
    return { t, cause, account: a, collateral: 0, fund: 0, socialized: 0, adl: 0, badDebt: 0 }
  }

  /** Writes off `amount` cash units of a's deficit as bad debt (a's cash is credited); returns the amount. */
  writeOff(t: number, cause: number, a: number, amount: number): number {
    const venue = this.venue
    venue.accounts.addCash(a, amount)
    venue.badDebtTotal += amount
    venue.emit({ kind: 'BadDebt', seq: 0, t, cause, account: a, amount })
    return amount
  }

  /** Emits DeficitResolved for a record with anything in it. */
  close(r: DeficitRecord): void {
    const deficit = r.collateral + r.fund + r.socialized + r.adl + r.badDebt
    if (!(deficit > 0)) return
    this.venue.emit({
      kind: 'DeficitResolved', seq: 0, t: r.t, cause: r.cause, account: r.account, deficit,
      collateral: r.collateral, fund: r.fund, socialized: r.socialized, adl: r.adl, badDebt: r.badDebt,
    })
  }
}
