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
// margin-checked; a trader past the venue's maximum leverage is liquidated at once.

import { blockTrade, deposit, openAccount, type InputEvent } from '../engine/events.js'
import { lnDeterministic } from '../engine/deterministic_math.js'
import type { Prng } from '../engine/prng.js'
import { fundTrader, type PopulationCollateral, type PopulationSetup } from './population.js'

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

/** Setup inputs of the population from account `firstAccount` on (the counterparty first). */
export function generateDistributedPopulation(
  params: DistributedPopulationParams, rng: Prng, firstAccount: number, startTicks: number, cashPerTickLot: number,
): DistributedPopulation {
  const isolated = params.marginMode === 'isolated'
  const counterparty = firstAccount
  const counterpartyDeposit = deposit(0, counterparty, 1) // amount set once the total notional is known
  const out: DistributedPopulation = { accounts: [], owners: [], inputs: [openAccount(0, counterparty), counterpartyDeposit], counterparty, traders: [] }
  const trades: InputEvent[] = []
  let notional = 0
  let next = firstAccount + 1
  const funding = { instrument: params.instrument, isolatedMarginShare: params.isolatedMarginShare, collateral: params.collateralAssets }
  for (const trader of drawTraders(params, rng, startTicks)) {
    const value = Math.max(1, Math.round(trader.collateral))
    const lots = Math.max(1, Math.round((value * trader.leverage) / (trader.entryTicks * cashPerTickLot)))
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
  }
  counterpartyDeposit.amount = Math.max(1, Math.round(notional))
  for (const trade of trades) out.inputs.push(trade) // no spread: millions of arguments overflow the stack
  return out
}
