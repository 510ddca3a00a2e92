// Liquidator agents competing in the simulation loop: three liquidators see the same auction;
// their bids reach the venue after their own latency, and each can bid only what its capital
// carries. Crafted venue (1 lot·tick = 1 cash unit, initial 20%, penalty 5%), every step full,
// auctions of 200 ms, half the penalty to the liquidator. The long L (10 @ 100) meets mark 94
// at t = 1,000 with no bids, so its 10 lots are auctioned at 94 (20% initial margin: 18.8 a lot).

import { describe, expect, it } from 'vitest'
import { blockTrade, deposit, openAccount, oraclePrice, type VenueEvent } from '../../engine/events.js'
import { InvariantMonitor } from '../../engine/invariants.js'
import { LiquidationClock } from '../../engine/liquidation/liquidation_clock.js'
import { Prng } from '../../engine/prng.js'
import { ScriptDriver } from '../../engine/script_driver.js'
import { Simulation, type EventSink } from '../../engine/simulation.js'
import { AgentDriver } from '../../agents/agent_driver.js'
import { Liquidator } from '../../agents/liquidator.js'
import { craftedVenueConfig, Venue } from '../helpers/small_world.js'

const FUND = 0
const L = 1
const SHORT = 2
const FAST_POOR = 3 // latency 10 ms, 25 of capital: carries 1 lot
const MID_RICH = 4 // latency 50 ms, 10,000
const SLOW_RICH = 5 // latency 120 ms, 10,000
const TEST = 1

function race(unwindIntervalMs = 1_000_000) {
  const venue = new Venue(craftedVenueConfig({}, { fullBelowHealth: 1, auctionMs: 200, liquidatorPenaltyShare: 0.5 }))
  const setup = [
    openAccount(0, FUND), deposit(0, FUND, 1000), openAccount(0, L), deposit(0, L, 150),
    openAccount(0, SHORT), deposit(0, SHORT, 10_000),
    openAccount(0, FAST_POOR), deposit(0, FAST_POOR, 25), openAccount(0, MID_RICH), deposit(0, MID_RICH, 10_000),
    openAccount(0, SLOW_RICH), deposit(0, SLOW_RICH, 10_000),
    oraclePrice(0, TEST, 100, -1), blockTrade(0, 0, L, SHORT, 100, 10),
  ]
  const params = { capitalUseMax: 1, rewardRateMin: 0, unwindIntervalMs, unwindLotsMax: 5 }
  const liquidator = (name: string, account: number, latencyMs: number) =>
    new AgentDriver(new Liquidator(name, [account], params), new Prng(1, name), { minMs: latencyMs, jitterMs: 0 })
  const events: VenueEvent[] = []
  const sink: EventSink = { event: (e) => events.push(e), checkpoint() {} }
  const monitor = new InvariantMonitor(venue, true)
  new Simulation(venue, [
    new ScriptDriver('setup', setup.map((input) => ({ atMs: 0, input }))),
    new ScriptDriver('shock', [{ atMs: 1000, input: oraclePrice(1000, TEST, 94, -1) }]),
    new LiquidationClock(),
    liquidator('slow-rich', SLOW_RICH, 120), liquidator('fast-poor', FAST_POOR, 10), liquidator('mid-rich', MID_RICH, 50),
  ], { endMs: 5000, checkpointEvery: 1000, sinks: [sink, monitor] }).run()
  return { venue, events }
}

describe('liquidator agents', () => {
  it('the fastest bidder with the capital wins: each takes what it can carry, in arrival order', () => {
    const { venue, events } = race()
    const auction = events.find((e) => e.kind === 'LiquidationAuction')!
    const bids = events.filter((e) => e.kind === 'LiquidatorBid')
    // Everyone bids at 1,000 + latency, for what its capital carries: floor(25/18.8) = 1 lot,
    // and 10 lots for the two rich ones.
    expect(bids.map((e) => [e.t, (e as { account: number }).account, (e as { lots: number }).lots])).toEqual([
      [1010, FAST_POOR, 1], [1050, MID_RICH, 10], [1120, SLOW_RICH, 10],
    ])
    const takeovers = events.filter((e) => e.kind === 'LiquidatorTakeover')
    expect(takeovers.map((e) => [(e as { liquidator: number }).liquidator, (e as { lots: number }).lots])).toEqual([[FAST_POOR, 1], [MID_RICH, 9]])
    expect(events.find((e) => e.kind === 'LiquidatorBidRejected')).toMatchObject({ account: SLOW_RICH, reason: 'auction_closed', auction: auction.seq })
    // Rewards: half the penalty on their lots — floor(floor(94·5%)·½) = floor(4/2) = 2 and floor(floor(846·5%)·½) = floor(42/2) = 21.
    expect(events.filter((e) => e.kind === 'LiquidatorReward').map((e) => (e as { amount: number }).amount)).toEqual([2, 21])
    expect(venue.accounts.position(L, 0)).toBe(0)
    expect(venue.accounts.position(SLOW_RICH, 0)).toBe(0)
  })

  it('unwinds what it took with market orders, a slice at a time', () => {
    // With an unwind every 300 ms, MID_RICH (long 9 after the auction) sends 5-lot market sells.
    const { events } = race(300)
    const unwinds = events.filter((e) => e.kind === 'PlaceOrder' && (e as { account: number }).account === MID_RICH)
    expect(unwinds.length).toBeGreaterThan(2)
    for (const e of unwinds) expect(e).toMatchObject({ side: 'sell', type: 'market', lots: 5 })
    expect(unwinds[0]!.t).toBeGreaterThan(1050)
  })
})
