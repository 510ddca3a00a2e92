// Liquidation steps/s: one mark change that puts every one of N long accounts below maintenance
// (health 0.957 on the crafted venue), each getting one partial step — sizing to the target
// health by bisection, a market order into a deep book, the penalty — against the same mark change
// with every account still healthy (the trigger's scan alone), measured in the same run. Each
// iteration applies the one input to a fresh venue built beforehand (setup is not timed) and checks
// every account was stepped and the venue's value is conserved.

import { bench, describe, expect } from 'vitest'
import { blockTrade, deposit, openAccount, oraclePrice, placeOrder, type InputEvent } from '../../engine/events.js'
import { checkInvariants } from '../../engine/invariants.js'
import { applyAll, craftedVenueConfig, Venue } from '../helpers/small_world.js'

const ACCOUNTS = 5_000
const ROUNDS = 8 // 1 warm-up + 7 iterations per bench (warmupTime 0)
// tinybench also calls the function once per loop to see whether it is async: two spare venues.
const POOL = ROUNDS + 2
const TEST = 1

/** Fund, a rich maker with a deep bid ladder, its short counterpart, and ACCOUNTS longs of 10 @ 100 holding 150 each. */
function venueReady(): Venue {
  const venue = new Venue(craftedVenueConfig())
  const maker = 1
  const inputs: InputEvent[] = [openAccount(0, 0), deposit(0, 0, 1e9), openAccount(0, maker), deposit(0, maker, 1e12), oraclePrice(0, TEST, 100, -1)]
  for (let k = 0; k < ACCOUNTS; k++) {
    const a = 2 + k
    inputs.push(openAccount(0, a), deposit(0, a, 150), blockTrade(0, 0, a, maker, 100, 10))
  }
  for (let price = 94; price >= 60; price--) inputs.push(placeOrder(1, maker, 0, 'buy', 'limit', price, ACCOUNTS * 2))
  applyAll(venue, inputs)
  return venue
}

const liquidating = Array.from({ length: POOL }, venueReady)
const healthy = Array.from({ length: POOL }, venueReady)

describe(`liquidation steps, one mark change [ops=${ACCOUNTS}]`, () => {
  bench('partial liquidation step (size, book, penalty)', () => {
    const venue = liquidating.pop()!
    venue.apply(oraclePrice(2, TEST, 94, -1))
    expect(venue.outbox.filter((e) => e.kind === 'Liquidation').length).toBe(ACCOUNTS)
    expect(checkInvariants(venue)).toBeNull()
  }, { time: 0, iterations: ROUNDS - 1, warmupTime: 0, warmupIterations: 1 })

  bench('baseline: the same scan, nobody below maintenance', () => {
    const venue = healthy.pop()!
    venue.apply(oraclePrice(2, TEST, 99, -1))
    expect(venue.outbox.length).toBe(1) // the MarkPrice alone
  }, { time: 0, iterations: ROUNDS - 1, warmupTime: 0, warmupIterations: 1 })
})
