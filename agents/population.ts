// A passive population: pairs of leveraged accounts, one long and one short, that open opposite
// positions against each other at the start price and then do nothing. Leverage spread gives a
// spread of liquidation prices below (longs) and above (shorts) the start: the fuel of a cascade.
// Passive accounts cost nothing per event until their health is checked.
//
// Margin mode is one switch: in cross mode each trader is one account holding deposit and
// position; in isolated mode each trader is a cross account (the wallet) plus an isolated
// compartment holding the position and `isolatedMarginShare` of the deposit, moved in by
// Transfer inputs — the same traders, the same random draws, margined differently. Part of each
// deposit may be posted in non-cash collateral (by value at the start price).

import { blockTrade, deposit, openAccount, openCompartment, transfer, type InputEvent } from '../engine/events.js'
import type { Prng } from '../engine/prng.js'
import { smallestWith, startEquity, startsHealthy, type StartHealthCount, type StartMargin } from './population_health.js'

export interface PopulationCollateral {
  /** Asset index. */
  asset: number
  /** Share of each deposit's value posted in this asset. */
  share: number
  /** Cash units one integer unit of the asset is worth at the start price (before haircut). */
  cashPerUnit: number
}

export interface PopulationParams {
  instrument: number
  /** Number of long/short pairs. */
  pairs: number
  lotsMin: number
  lotsMax: number
  /** Leverage (notional / deposit) is uniform in [leverageMin, leverageMax], drawn per account. */
  leverageMin: number
  leverageMax: number
  marginMode: 'cross' | 'isolated'
  /** Isolated mode: share of the deposit moved into the position's compartment. */
  isolatedMarginShare: number
  collateral: readonly PopulationCollateral[]
}

export interface PopulationSetup {
  /** Accounts holding the positions, longs then shorts alternating (compartments in isolated mode). */
  accounts: number[]
  /** Top-level (cross) accounts of the traders, in the same order. */
  owners: number[]
  /** OpenAccount, Deposit (and compartment, Transfer) inputs for every trader, then one BlockTrade per pair. */
  inputs: InputEvent[]
  /** What the start-health check did (population_health.ts). */
  startHealth: StartHealthCount
}

/**
 * Builds the setup inputs of a passive population starting at account id `firstAccount`. With
 * `start`, a trader whose deposit would start below `start.healthMin` gets the least deposit that
 * reaches it (population_health.ts); the draws are the same either way.
 */
export function generatePopulation(
  params: PopulationParams, rng: Prng, firstAccount: number, startTicks: number, cashPerTickLot: number, start?: StartMargin,
): PopulationSetup {
  const isolated = params.marginMode === 'isolated'
  const perTrader = isolated ? 2 : 1
  const setup: PopulationSetup = { accounts: [], owners: [], inputs: [], startHealth: { clamped: 0, belowMaintenance: 0 } }
  const trades: InputEvent[] = []
  for (let pair = 0; pair < params.pairs; pair++) {
    const lots = rng.rangeInclusive(params.lotsMin, params.lotsMax)
    const notional = lots * startTicks * cashPerTickLot
    const holders: number[] = []
    for (let side = 0; side < 2; side++) {
      const leverage = params.leverageMin + (params.leverageMax - params.leverageMin) * rng.unit()
      const owner = firstAccount + (2 * pair + side) * perTrader
      const holder = isolated ? owner + 1 : owner
      let value = Math.max(1, Math.round(notional / leverage))
      if (start !== undefined) value = healthyDeposit(start, params, isolated, value, notional, setup.startHealth)
      fundTrader(setup.inputs, params, owner, holder, value)
      setup.owners.push(owner)
      setup.accounts.push(holder)
      holders.push(holder)
    }
    trades.push(blockTrade(0, params.instrument, holders[0]!, holders[1]!, startTicks, lots))
  }
  for (const trade of trades) setup.inputs.push(trade) // no spread: millions of arguments overflow the stack
  return setup
}

/** The deposit of `value` cash units' worth, pushed up to the least that starts at `start.healthMin` (or counted, if allowed). */
function healthyDeposit(
  start: StartMargin, params: FundingParams, isolated: boolean, value: number, notional: number, count: StartHealthCount,
): number {
  const healthy = (v: number, healthMin?: number): boolean =>
    startsHealthy(start, startEquity(start, holderDeposits(params, v, isolated), 0), notional, healthMin)
  if (start.allowUnhealthy) {
    if (!healthy(value, 1)) count.belowMaintenance++
    return value
  }
  if (healthy(value)) return value
  count.clamped++
  return smallestWith(value, healthy)
}

type FundingParams = Pick<PopulationParams, 'instrument' | 'isolatedMarginShare' | 'collateral'>

/** A deposit of `value` cash units' worth split across collateral assets: [asset, units], cash first. */
function depositAmounts(params: FundingParams, value: number): [asset: number, units: number][] {
  const amounts: [asset: number, units: number][] = []
  let cashShare = 1
  for (const c of params.collateral) {
    cashShare -= c.share
    const units = Math.floor((value * c.share) / c.cashPerUnit)
    if (units > 0) amounts.push([c.asset, units])
  }
  const cash = Math.round(value * cashShare)
  if (cash > 0 || amounts.length === 0) amounts.unshift([0, Math.max(1, cash)])
  return amounts
}

/** Units of `asset` moved into an isolated compartment out of `units`. */
function movedUnits(params: FundingParams, asset: number, units: number): number {
  return asset === 0 ? Math.round(units * params.isolatedMarginShare) : Math.floor(units * params.isolatedMarginShare)
}

/** What the account holding the position receives of a `value` deposit (all of it in cross mode). */
export function holderDeposits(params: FundingParams, value: number, isolated: boolean): [asset: number, units: number][] {
  const amounts = depositAmounts(params, value)
  if (!isolated) return amounts
  return amounts.map(([asset, units]): [number, number] => [asset, movedUnits(params, asset, units)]).filter(([, units]) => units > 0)
}

/** Opens a trader's account(s) and deposits `value` cash units' worth, split across collateral assets (and, isolated, into the compartment). */
export function fundTrader(inputs: InputEvent[], params: FundingParams, owner: number, holder: number, value: number): void {
  inputs.push(openAccount(0, owner))
  const amounts = depositAmounts(params, value)
  for (const [asset, units] of amounts) inputs.push(deposit(0, owner, units, asset))
  if (holder === owner) return
  inputs.push(openCompartment(0, holder, owner, params.instrument))
  for (const [asset, units] of amounts) {
    const moved = movedUnits(params, asset, units)
    if (moved > 0) inputs.push(transfer(0, owner, holder, asset, moved))
  }
}
