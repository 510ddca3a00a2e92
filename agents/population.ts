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
}

/** Builds the setup inputs of a passive population starting at account id `firstAccount`. */
export function generatePopulation(
  params: PopulationParams, rng: Prng, firstAccount: number, startTicks: number, cashPerTickLot: number,
): PopulationSetup {
  const isolated = params.marginMode === 'isolated'
  const perTrader = isolated ? 2 : 1
  const setup: PopulationSetup = { accounts: [], owners: [], inputs: [] }
  const trades: InputEvent[] = []
  for (let pair = 0; pair < params.pairs; pair++) {
    const lots = rng.rangeInclusive(params.lotsMin, params.lotsMax)
    const notional = lots * startTicks * cashPerTickLot
    const holders: number[] = []
    for (let side = 0; side < 2; side++) {
      const leverage = params.leverageMin + (params.leverageMax - params.leverageMin) * rng.unit()
      const owner = firstAccount + (2 * pair + side) * perTrader
      const holder = isolated ? owner + 1 : owner
      fundTrader(setup.inputs, params, owner, holder, Math.max(1, Math.round(notional / leverage)))
      setup.owners.push(owner)
      setup.accounts.push(holder)
      holders.push(holder)
    }
    trades.push(blockTrade(0, params.instrument, holders[0]!, holders[1]!, startTicks, lots))
  }
  for (const trade of trades) setup.inputs.push(trade) // no spread: 500k+ trades overflow the stack
  return setup
}

/** Opens a trader's account(s) and deposits `value` cash units' worth, split across collateral assets. */
function fundTrader(inputs: InputEvent[], params: PopulationParams, owner: number, holder: number, value: number): void {
  inputs.push(openAccount(0, owner))
  const amounts: [asset: number, units: number][] = []
  let cashShare = 1
  for (const c of params.collateral) {
    cashShare -= c.share
    const units = Math.floor((value * c.share) / c.cashPerUnit)
    if (units > 0) amounts.push([c.asset, units])
  }
  const cash = Math.round(value * cashShare)
  if (cash > 0 || amounts.length === 0) amounts.unshift([0, Math.max(1, cash)])
  for (const [asset, units] of amounts) inputs.push(deposit(0, owner, units, asset))
  if (holder === owner) return
  inputs.push(openCompartment(0, holder, owner, params.instrument))
  for (const [asset, units] of amounts) {
    const moved = asset === 0 ? Math.round(units * params.isolatedMarginShare) : Math.floor(units * params.isolatedMarginShare)
    if (moved > 0) inputs.push(transfer(0, owner, holder, asset, moved))
  }
}
