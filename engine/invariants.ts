// The venue's invariants, checked after every event by the property tests and by `run --check`.
// Money is whole cash units, so conservation is exact (tolerance 0) while totals stay below
// 2^53 cash units: deposits + bad debt written off = Σ cash + Σ position value + fees, where
// Σ position value is Σ_i mark_i · cashPerTickLot_i · (net lots of i), zero when open interest
// balances. The insurance fund is an account, so the fund is inside Σ cash. Every non-cash
// collateral asset is conserved in its own integer units: Σ balances = units deposited (seizure
// and transfers only move units), and no balance is negative. Isolated compartments hold
// positions only in their own instrument. Funding moves cash between accounts only: Σ paid =
// Σ received after every settlement.

import type { Venue } from './venue.js'
import { INSURANCE_FUND_ACCOUNT } from './venue_config.js'
import { ANY_INSTRUMENT } from './margin/account_store.js'
import { NONE } from './market/order_book.js'

/** Checks conservation, open-interest balance and uncrossed books; returns a description of the first violation or null. */
export function checkInvariants(venue: Venue, full = false): string | null {
  const store = venue.accounts
  const instruments = store.instruments
  let cash = 0
  for (let a = 0; a < store.count; a++) cash += store.cash[a] as number
  let positionValue = 0
  for (let i = 0; i < instruments; i++) {
    let longs = 0
    let shorts = 0
    for (let a = 0; a < store.count; a++) {
      const lots = store.positionLots[a * instruments + i] as number
      if (lots > 0) longs += lots
      else shorts -= lots
    }
    if (longs !== shorts) return `open interest unbalanced in instrument ${i}: longs ${longs} != shorts ${shorts}`
    positionValue += (venue.margin.markTicks[i] as number) * (venue.margin.cashPerTickLot[i] as number) * (longs - shorts)
  }
  const sources = venue.depositsTotal + venue.badDebtTotal
  const uses = cash + positionValue + venue.feesCollected
  if (sources !== uses) {
    return `value not conserved: deposits ${venue.depositsTotal} + bad debt ${venue.badDebtTotal} != cash ${cash} + positions ${positionValue} + fees ${venue.feesCollected}`
  }
  return checkCollateral(venue) ?? checkCompartments(venue) ?? checkFunding(venue) ?? checkBooks(venue, full)
}

/** Funding is zero-sum: what payers paid, receivers received. */
function checkFunding(venue: Venue): string | null {
  const { fundingPaidTotal: paid, fundingReceivedTotal: received } = venue.markets
  return paid === received ? null : `funding not zero-sum: paid ${paid} != received ${received}`
}

/** Per-asset conservation of non-cash collateral units; no negative balance. */
function checkCollateral(venue: Venue): string | null {
  const store = venue.accounts
  const assets = store.assets
  for (let k = 1; k < assets; k++) {
    let held = 0
    for (let a = 0; a < store.count; a++) {
      const units = store.collateralUnits[a * assets + k] as number
      if (units < 0) return `account ${a} holds ${units} units of asset ${k}`
      held += units
    }
    if (held !== venue.assetDeposits[k]) return `asset ${k} not conserved: deposited ${venue.assetDeposits[k]} != held ${held}`
  }
  return null
}

/** Isolated compartments hold positions only in their instrument. */
function checkCompartments(venue: Venue): string | null {
  const store = venue.accounts
  for (let a = 0; a < store.count; a++) {
    const only = store.onlyInstrument[a] as number
    if (only === ANY_INSTRUMENT) continue
    for (let i = 0; i < store.instruments; i++) {
      if (i !== only && store.position(a, i) !== 0) return `isolated account ${a} holds instrument ${i} (only ${only} allowed)`
    }
  }
  return null
}

function checkBooks(venue: Venue, full: boolean): string | null {
  for (let i = 0; i < venue.books.length; i++) {
    const book = venue.books[i]!
    const bid = book.bestBid()
    const ask = book.bestAsk()
    if (bid !== NONE && ask !== NONE && bid >= ask) return `book ${i} crossed: bid ${bid} >= ask ${ask}`
    if (full) {
      const problem = book.checkConsistency()
      if (problem !== null) return `book ${i}: ${problem}`
    }
  }
  return null
}

/**
 * After an input, no account may be left with unresolved negative equity — the insurance fund
 * included (its shortfall is deleveraged, socialised or written off at once) — except one whose
 * remainder is in a liquidator auction (resolved when the auction ends) or whose first step waits
 * out liquidationDelayMs (resolved at its wake-up).
 */
export function checkNoNegativeEquity(venue: Venue): string | null {
  const { readyMs, wakeDueMs } = venue.liquidation.state
  const now = venue.lastT
  for (let a = 0; a < venue.accounts.count; a++) {
    if (venue.liquidation.inAuction(a)) continue
    if (a < readyMs.length && (readyMs[a] as number) >= now && (wakeDueMs[a] as number) >= now) continue // its delayed first step is still due
    const equity = venue.margin.equity(venue.accounts, a)
    if (equity < 0) return `${a === INSURANCE_FUND_ACCOUNT ? 'the insurance fund' : `account ${a}`} left with negative equity ${equity}`
  }
  return null
}

/**
 * Every open liquidator auction is still running and has a wake-up pending no later than its end
 * (otherwise its remainder would never reach the backstop). Needs the LiquidationClock driver.
 */
export function checkAuctionsResolve(venue: Venue): string | null {
  const state = venue.liquidation.state
  for (const auction of venue.liquidation.auctions.open) {
    if (auction.endsMs < venue.lastT) return `auction ${auction.id} of account ${auction.account} ended at ${auction.endsMs} but is still open at ${venue.lastT}`
    const due = state.wakeDueMs[auction.account] as number
    if (!(due >= venue.lastT && due <= auction.endsMs)) return `auction ${auction.id} of account ${auction.account} has no wake-up by its end ${auction.endsMs} (pending: ${due})`
  }
  return null
}

/** Raised by InvariantMonitor: the venue broke an invariant (a bug). */
export class InvariantViolation extends Error {
  override name = 'InvariantViolation'
  constructor(readonly seq: number, detail: string) {
    super(`invariant violated at seq ${seq}: ${detail}`)
  }
}

/**
 * Checks the invariants after every event (via the venue's afterEvent hook), and the
 * no-negative-equity rule and the auctions' wake-ups after every input's batch (a simulation with
 * the LiquidationClock). O(accounts) per event: tests and --check only.
 */
export class InvariantMonitor {
  checked = 0

  constructor(private readonly venue: Venue, private readonly full = false) {
    venue.afterEvent = (event) => {
      const problem = checkInvariants(venue, this.full)
      this.checked++
      if (problem !== null) throw new InvariantViolation(event.seq, problem)
    }
  }

  event(): void {}
  checkpoint(): void {}

  batchEnd(): void {
    const problem = checkNoNegativeEquity(this.venue) ?? checkAuctionsResolve(this.venue)
    if (problem !== null) throw new InvariantViolation(this.venue.nextSeq - 1, problem)
  }
}
