// Sizing shared by the built-in traders: how many lots a notional buys at a price, and the
// market order that moves a position from where it is to a target. Kept apart so each agent
// file holds only its own decision rule.

import type { OrderIntent, VenueView } from './agent.js'

/** Lots whose notional at `priceTicks` is at most `notional` cash units (0 if the price is not positive). */
export function lotsForNotional(view: VenueView, instrument: number, notional: number, priceTicks: number): number {
  const lotValue = priceTicks * view.instrument(instrument).cashPerTickLot
  return lotValue > 0 && notional > 0 ? Math.floor(notional / lotValue) : 0
}

/** A market order moving `position` toward `target` (lots), at most `lotsMax` lots; null if already there. */
export function orderToward(account: number, instrument: number, position: number, target: number, lotsMax: number): OrderIntent | null {
  const lots = Math.min(Math.abs(target - position), lotsMax)
  if (lots < 1) return null
  return { account, instrument, side: target > position ? 'buy' : 'sell', type: 'market', priceTicks: 0, lots }
}
