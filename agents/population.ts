// A passive population: pairs of leveraged accounts, one long and one short, that open opposite
// positions against each other at the start price and then do nothing. Leverage spread gives a
// spread of liquidation prices below (longs) and above (shorts) the start: the fuel of a cascade.
// Passive accounts cost nothing per event until their health is checked.

import { blockTrade, deposit, openAccount, type InputEvent } from '../engine/events.js'
import type { Prng } from '../engine/prng.js'

export interface PopulationParams {
  instrument: number
  /** Number of long/short pairs (2 accounts each). */
  pairs: number
  lotsMin: number
  lotsMax: number
  /** Leverage (notional / deposit) is uniform in [leverageMin, leverageMax], drawn per account. */
  leverageMin: number
  leverageMax: number
}

export interface PopulationSetup {
  /** Account ids, longs at even offsets and shorts at odd offsets from the first. */
  accounts: number[]
  /** OpenAccount and Deposit inputs for every account, then one BlockTrade per pair. */
  inputs: InputEvent[]
}

/** Builds the setup inputs of a passive population starting at account id `firstAccount`. */
export function generatePopulation(
  params: PopulationParams, rng: Prng, firstAccount: number, startTicks: number, cashPerTickLot: number,
): PopulationSetup {
  const accounts: number[] = []
  const opens: InputEvent[] = []
  const trades: InputEvent[] = []
  for (let pair = 0; pair < params.pairs; pair++) {
    const lots = rng.rangeInclusive(params.lotsMin, params.lotsMax)
    const notional = lots * startTicks * cashPerTickLot
    const long = firstAccount + 2 * pair
    const short = long + 1
    for (const account of [long, short]) {
      const leverage = params.leverageMin + (params.leverageMax - params.leverageMin) * rng.unit()
      accounts.push(account)
      opens.push(openAccount(0, account), deposit(0, account, Math.max(1, Math.round(notional / leverage))))
    }
    trades.push(blockTrade(0, params.instrument, long, short, startTicks, lots))
  }
  return { accounts, inputs: [...opens, ...trades] }
}
