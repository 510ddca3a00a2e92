// A passive population described by distributions, as a researcher states one: N accounts
// whose collateral is lognormal, whose leverage is a discrete mix (or lognormal), a share of
// them long, entries spread around the start price, in cross or isolated margin — or an
// explicit list of accounts. Each trader opens its position at t = 0 by a block trade against
// one counterparty account (the rest of the market, funded with the population's total
// notional so it carries any imbalance of longs and shorts), then does nothing: passive
// accounts cost nothing per event until their health is checked, which is what makes
// million-account runs cheap.
//
// Draws per trader, in order, from the population's own stream: collateral, leverage, side,
// entry. Lots = round(collateral × leverage / entry price), at least 1: the leverage is at
// entry, so a spread entry starts with unrealised PnL at the start mark. Block trades are not
// margin-checked: the world builder passes the venue's margin arithmetic so that no trader starts
// below `startHealthMin` — drawn traders are clamped (fewer lots, then the start price as entry),
// listed ones rejected (population_health.ts) — unless the scenario allows unhealthy starts.

import { blockTrade, deposit, openAccount, type InputEvent } from '../engine/events.js'
import { lnDeterministic } from '../engine/deterministic_math.js'
import type { Prng } from '../engine/prng.js'
import { fundTrader, holderDeposits, type PopulationCollateral, type PopulationSetup } from './population.js'
import { largestWith, PopulationStartError, startEquity, startsHealthy, type StartHealthCount, type StartMargin } from './population_health.js'

/** A distribution of a positive quantity. */
export type Distribution =
  | { kind: 'fixed'; value: number }
  | { kind: 'lognormal'; median: number; sigma: number; min: number; max: number }
  | { kind: 'mix'; values: readonly number[]; weights: readonly number[] }

/** One trader, drawn or listed. */
export interface PopulationTrader {
  /** Deposit value (cash units). */
  collateral: number
  /** Notional at entry / collateral. */
  leverage: number
  side: 'long' | 'short'
  /** Entry price (ticks). */
  entryTicks: number
}

export interface DistributedPopulationParams {
  instrument: number
  count: number
  /** Deposit value per trader (cash units). */
  collateral: Distribution
  leverage: Distribution
  /** Probability that a trader is long. */
  longShare: number
  /** Entry price = start × (1 + entrySpreadRate × z), z standard normal. */
  entrySpreadRate: number
  marginMode: 'cross' | 'isolated'
  isolatedMarginShare: number
  collateralAssets: readonly PopulationCollateral[]
  /** An explicit list replaces the draws. */
  traders?: readonly PopulationTrader[]
}

export interface DistributedPopulation extends PopulationSetup {
  /** The account on the other side of every entry. */
  counterparty: number
  /** The traders, in account order, with the lots they hold (signed). */
  traders: (PopulationTrader & { lots: number })[]
}

/** One draw from `d`. */
export function drawFrom(d: Distribution, rng: Prng): number {
  switch (d.kind) {
    case 'fixed':
      return d.value
    case 'lognormal':
      return Math.min(d.max, Math.max(d.min, rng.lognormal(lnDeterministic(d.median), d.sigma)))
    case 'mix': {
      let u = rng.unit() * d.weights.reduce((x, y) => x + y, 0)
      for (let k = 0; k < d.values.length; k++) {
        u -= d.weights[k]!
        if (u < 0) return d.values[k]!
      }
      return d.values[d.values.length - 1]!
    }
  }
}

/** The population's traders: the explicit list, or `count` draws. */
export function drawTraders(params: DistributedPopulationParams, rng: Prng, startTicks: number): PopulationTrader[] {
  if (params.traders !== undefined) return params.traders.map((t) => ({ ...t }))
  return Array.from({ length: params.count }, () => {
    const collateral = drawFrom(params.collateral, rng)
    const leverage = drawFrom(params.leverage, rng)
    const side = rng.unit() < params.longShare ? 'long' as const : 'short' as const
    const spread = params.entrySpreadRate > 0 ? params.entrySpreadRate * rng.normal() : 0
    return { collateral, leverage, side, entryTicks: Math.max(1, Math.round(startTicks * (1 + spread))) }
  })
}

/**
 * Setup inputs of the population from account `firstAccount` on (the counterparty first). With
 * `start`, drawn traders are clamped to start at `start.healthMin` and an unhealthy listed trader
 * is a PopulationStartError naming `field`.accounts.k (population_health.ts).
 */
export function generateDistributedPopulation(
  params: DistributedPopulationParams, rng: Prng, firstAccount: number, startTicks: number, cashPerTickLot: number,
  start?: StartMargin, field = 'populations',
): DistributedPopulation {
  const isolated = params.marginMode === 'isolated'
  const counterparty = firstAccount
  const counterpartyDeposit = deposit(0, counterparty, 1) // amount set once the total notional is known
  const out: DistributedPopulation = {
    accounts: [], owners: [], inputs: [openAccount(0, counterparty), counterpartyDeposit], counterparty, traders: [],
    startHealth: { clamped: 0, belowMaintenance: 0 },
  }
  const trades: InputEvent[] = []
  let notional = 0
  let next = firstAccount + 1
  const funding = { instrument: params.instrument, isolatedMarginShare: params.isolatedMarginShare, collateral: params.collateralAssets }
  drawTraders(params, rng, startTicks).forEach((trader, k) => {
    const value = Math.max(1, Math.round(trader.collateral))
    let lots = Math.max(1, Math.round((value * trader.leverage) / (trader.entryTicks * cashPerTickLot)))
    if (start !== undefined) {
      const holder = { deposits: holderDeposits(funding, value, isolated), startTicks, cashPerTickLot }
      lots = healthyLots(start, holder, trader, lots, params.traders === undefined ? field : `${field}.accounts.${k}`, params.traders !== undefined, out.startHealth)
    }
    const owner = next
    const holder = isolated ? owner + 1 : owner
    next += isolated ? 2 : 1
    fundTrader(out.inputs, funding, owner, holder, value)
    out.owners.push(owner)
    out.accounts.push(holder)
    out.traders.push({ ...trader, lots: trader.side === 'long' ? lots : -lots })
    const [buyer, seller] = trader.side === 'long' ? [holder, counterparty] : [counterparty, holder]
    trades.push(blockTrade(0, params.instrument, buyer, seller, trader.entryTicks, lots))
    notional += lots * trader.entryTicks * cashPerTickLot
  })
  counterpartyDeposit.amount = Math.max(1, Math.round(notional))
  for (const trade of trades) out.inputs.push(trade) // no spread: millions of arguments overflow the stack
  return out
}

interface HolderAtStart {
  deposits: readonly (readonly [number, number])[]
  startTicks: number
  cashPerTickLot: number
}

/**
 * Lots for `trader` that start at `start.healthMin` or above: the drawn lots, else the most that
 * do (and, if one lot at the drawn entry does not, the entry moved to the start price — `trader`
 * is changed in place). A `listed` trader is never changed: unhealthy, it is an error naming
 * `field`. With allowUnhealthy, nothing changes and accounts below maintenance are counted.
 */
function healthyLots(
  start: StartMargin, holder: HolderAtStart, trader: PopulationTrader, lots: number, field: string, listed: boolean, count: StartHealthCount,
): number {
  const sign = trader.side === 'long' ? 1 : -1
  const healthy = (x: number, healthMin?: number): boolean => {
    const pnl = sign * x * (holder.startTicks - trader.entryTicks) * holder.cashPerTickLot
    return startsHealthy(start, startEquity(start, holder.deposits, pnl), x * holder.startTicks * holder.cashPerTickLot, healthMin)
  }
  if (start.allowUnhealthy) {
    if (!healthy(lots, 1)) count.belowMaintenance++
    return lots
  }
  if (healthy(lots)) return lots
  if (listed) throw new PopulationStartError(field, `starts at health below ${start.healthMin} (equity / maintenance margin at the start price); lower its leverage, or set allowUnhealthyStart: true`)
  count.clamped++
  const most = largestWith(lots, healthy)
  if (most > 0) return most
  trader.entryTicks = holder.startTicks
  if (healthy(1)) return 1
  throw new PopulationStartError(`${field}.collateral`, `a drawn account of ${Math.round(startEquity(start, holder.deposits, 0))} cash units cannot hold one lot at health ${start.healthMin}; raise collateral.min`)
}
