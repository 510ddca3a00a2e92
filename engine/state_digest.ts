// SHA-256 of the venue's complete state, in a canonical byte layout: counters, account columns
// (only the live prefix), prices, market state (impact models, funding, oracle states), every
// resting order in price-time order, then the liquidation engine's timers, episodes and open
// auctions. Two venues with
// equal digests hold the same state whatever their internal slot layout or array capacities.

import { createHash, type Hash } from 'node:crypto'
import type { Venue } from './venue.js'

function updateFloats(hash: Hash, array: Float64Array, length: number): void {
  // Copy out of the SharedArrayBuffer: hashing reads a stable, private snapshot.
  hash.update(new Uint8Array(array.slice(0, length).buffer))
}

/** Hex sha-256 digest of the venue state. */
export function stateDigest(venue: Venue): string {
  const hash = createHash('sha256')
  const store = venue.accounts
  const instruments = store.instruments
  const assets = store.assets
  hash.update(Float64Array.of(
    venue.nextSeq, venue.lastT, venue.depositsTotal, venue.feesCollected, venue.badDebtTotal, store.count, instruments, assets,
  ))
  updateFloats(hash, store.cash, store.count)
  updateFloats(hash, store.deposited, store.count)
  updateFloats(hash, store.realizedPnl, store.count)
  hash.update(new Uint8Array(store.parent.slice(0, store.count).buffer))
  hash.update(new Uint8Array(store.onlyInstrument.slice(0, store.count).buffer))
  updateFloats(hash, store.collateralUnits, store.count * assets)
  updateFloats(hash, store.positionLots, store.count * instruments)
  updateFloats(hash, store.entryCostTicks, store.count * instruments)
  updateFloats(hash, venue.margin.markTicks, instruments)
  updateFloats(hash, venue.margin.assetPriceTicks, assets)
  updateFloats(hash, venue.externalTicks, assets)
  updateFloats(hash, venue.assetDeposits, assets)
  hash.update(new Uint8Array(venue.markets.digestValues().buffer))
  const row = new Float64Array(5)
  for (const book of venue.books) {
    hash.update(Float64Array.of(book.orderCount))
    book.forEachOrder((orderId, account, side, priceTicks, lots) => {
      row[0] = orderId
      row[1] = account
      row[2] = side
      row[3] = priceTicks
      row[4] = lots
      hash.update(row)
    })
  }
  venue.liquidation.digest(hash)
  return hash.digest('hex')
}
