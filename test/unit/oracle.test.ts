// Oracle rules on crafted external paths, run through the real loop and venue: every publication
// (time it reaches the venue, price) is computed by hand in the comments.

import { describe, expect, it } from 'vitest'
import { deposit, externalPrice, openAccount, placeOrder, type VenueEvent } from '../../engine/events.js'
import { Oracle, faultBoundaries, simpleOracle, type OracleConfig } from '../../engine/market/oracle.js'
import { Prng } from '../../engine/prng.js'
import { ScriptDriver } from '../../engine/script_driver.js'
import { Simulation } from '../../engine/simulation.js'
import { craftedVenueConfig, Venue } from '../helpers/small_world.js'

const START = 10_000

/** Runs an oracle on asset 1 over `path` ([t, ticks]); returns its publications and status changes as [t, value]. */
function run(config: Partial<OracleConfig>, path: [number, number][], endMs: number, rngs: Prng[] = [], trades: [number, number][] = []) {
  const venue = new Venue(craftedVenueConfig())
  const setup = trades.length === 0 ? [] : [0, 1, 2].flatMap((a) => [openAccount(0, a), deposit(0, a, 1e9)]).map((input) => ({ atMs: 0, input }))
  // each trade: account 1 rests a sell at the price, account 2 takes it (one Fill in instrument 0)
  const fills = trades.flatMap(([t, p]) => [placeOrder(t, 1, 0, 'sell', 'limit', p, 1), placeOrder(t, 2, 0, 'buy', 'ioc', p, 1)]).map((input) => ({ atMs: input.t, input }))
  const script = new ScriptDriver('path', [...setup, ...path.map(([t, p]) => ({ atMs: t, input: externalPrice(t, 1, p, p, -1) })), ...fills])
  const oracle = new Oracle({ ...simpleOracle(1, 0, 60_000, 0.001), ...config }, START, 'oracle', rngs)
  const events: VenueEvent[] = []
  new Simulation(venue, [script, oracle], { endMs, checkpointEvery: 1e9, sinks: [{ event: (e) => events.push(e), checkpoint() {} }] }).run()
  return {
    published: events.flatMap((e) => (e.kind === 'OraclePrice' ? [[e.t, e.priceTicks]] : [])),
    statuses: events.flatMap((e) => (e.kind === 'OracleStatus' ? [[e.t, e.status]] : [])),
    causes: events.flatMap((e) => (e.kind === 'OraclePrice' ? [e.cause] : [])),
    events,
  }
}

describe('oracle rules on crafted paths', () => {
  it('deviation threshold, heartbeat and latency', () => {
    // dev 0.1% = 10 ticks, heartbeat 5 s, latency 100 ms. 10,005 (5 ticks): no; 10,012: publish at
    // 2000 → 2100; 10,015: no; heartbeat due at 7000 → 7100; 10,016: no; heartbeat 12,000 → 12,100.
    const { published, causes, events } = run({ latencyMs: 100, heartbeatMs: 5000 },
      [[0, 10_000], [1000, 10_005], [2000, 10_012], [3000, 10_015], [9000, 10_016]], 12_500)
    expect(published).toEqual([[0, 10_000], [2100, 10_012], [7100, 10_015], [12_100, 10_016]])
    // each publication names the external observation it came from
    const seqOf = (t: number) => events.find((e) => e.kind === 'ExternalPrice' && e.t === t)!.seq
    expect(causes).toEqual([-1, seqOf(2000), seqOf(3000), seqOf(9000)])
  })

  it('median of sources with their own lags: the middle lag decides when a move is published', () => {
    // lags 0, 1 s, 2 s; the step to 11,000 at t = 1000 reaches the median when the 1 s source sees it: t = 2000
    const lagged = run({ sources: [{ lagMs: 0, noiseRate: 0 }, { lagMs: 1000, noiseRate: 0 }, { lagMs: 2000, noiseRate: 0 }], pollMs: 500 },
      [[0, 10_000], [1000, 11_000]], 4000)
    expect(lagged.published).toEqual([[0, 10_000], [2000, 11_000]])
    // two fresh sources out of three: published at once
    const fresh = run({ sources: [{ lagMs: 0, noiseRate: 0 }, { lagMs: 0, noiseRate: 0 }, { lagMs: 2000, noiseRate: 0 }], pollMs: 500 },
      [[0, 10_000], [1000, 11_000]], 4000)
    expect(fresh.published).toEqual([[0, 10_000], [1000, 11_000]])
    // even N: the mean of the middle two (10,000 and 11,000) once one of two sources sees the step
    const even = run({ sources: [{ lagMs: 0, noiseRate: 0 }, { lagMs: 3000, noiseRate: 0 }], pollMs: 500 }, [[0, 10_000], [1000, 11_000]], 5000)
    expect(even.published).toEqual([[0, 10_000], [1000, 10_500], [4000, 11_000]])
  })

  it('venue share: the index weighs the venue\'s last trade, names it as cause, and drops it once stale', () => {
    // w = 0.5, polls every 500 ms: external 10,000 throughout; a trade at 9,000 at t = 1000 → index
    // 0.5·10,000 + 0.5·9,000 = 9,500 at the poll at 1000 (the trade is dispatched before the poll);
    // 60 s after the trade it is stale (> VENUE_TRADE_STALE_MS at the poll at 61,500) → 10,000 again.
    const { published, causes, events } = run({ venueShare: 0.5, venueInstrument: 0, pollMs: 500, heartbeatMs: 120_000 },
      [[0, 10_000]], 62_000, [], [[1000, 9000]])
    expect(published).toEqual([[0, 10_000], [1000, 9_500], [61_500, 10_000]])
    const fill = events.find((e) => e.kind === 'Fill')!
    expect(causes[1]).toBe(fill.seq)
    // without a venue instrument the share has no effect
    expect(run({ venueShare: 0.5, pollMs: 500, heartbeatMs: 120_000 }, [[0, 10_000]], 62_000, [], [[1000, 9000]]).published).toEqual([[0, 10_000]])
  })

  it('TWAP over a window, sampled every poll', () => {
    // window 4 s, dev 2%: TWAP at 2000 = (10,000 + 11,000)/2 = 10,500 → publish; 3000: 10,667 (1.6%): no;
    // 4000: (10,000 + 3·11,000)/4 = 10,750 (2.4%) → publish; 5000: window [1000, 5000] all 11,000 → publish
    const { published } = run({ twapWindowMs: 4000, pollMs: 1000, deviationRate: 0.02 }, [[0, 10_000], [1000, 11_000]], 5500)
    expect(published).toEqual([[0, 10_000], [2000, 10_500], [4000, 10_750], [5000, 11_000]])
  })

  it('outage: nothing is published until it ends; then the current price at once', () => {
    const { published, statuses } = run({ heartbeatMs: 10_000, faults: [{ kind: 'outage', atMs: 2000, durationMs: 3000 }] },
      [[0, 10_000], [3000, 11_000], [4000, 11_500]], 6000)
    expect(statuses).toEqual([[2000, 'outage'], [5000, 'live']])
    expect(published).toEqual([[0, 10_000], [5000, 11_500]])
  })

  it('stale: the feed repeats its last price on heartbeats, then catches up', () => {
    // 10,100 published at 1000; stale 2000–7000: heartbeats at 3000 and 5000 repeat 10,100; live at 7000 → 11,000
    const { published, statuses } = run({ heartbeatMs: 2000, faults: [{ kind: 'stale', atMs: 2000, durationMs: 5000 }] },
      [[0, 10_000], [1000, 10_100], [3000, 11_000]], 7500)
    expect(statuses).toEqual([[2000, 'stale'], [7000, 'live']])
    expect(published).toEqual([[0, 10_000], [1000, 10_100], [3000, 10_100], [5000, 10_100], [7000, 11_000]])
  })

  it('overlapping faults: an outage wins over a stale period', () => {
    expect(faultBoundaries([{ kind: 'stale', atMs: 0, durationMs: 100 }, { kind: 'outage', atMs: 50, durationMs: 100 }])).toEqual([
      { atMs: 0, status: 'stale' }, { atMs: 50, status: 'outage' }, { atMs: 150, status: 'live' },
    ])
  })

  it('noisy sources: reproducible from their streams, near the true price, and the median damps them', () => {
    const path: [number, number][] = Array.from({ length: 60 }, (_, k) => [k * 1000, 10_000])
    const noisy = (n: number) => run(
      { sources: Array.from({ length: n }, () => ({ lagMs: 0, noiseRate: 0.002 })), deviationRate: 0.0005 },
      path, 60_000, Array.from({ length: n }, (_, k) => new Prng(9, `source-${k}`)),
    ).published
    const one = noisy(1)
    expect(noisy(1)).toEqual(one)
    const five = noisy(5)
    const spread = (xs: number[][]) => Math.max(...xs.map(([, p]) => Math.abs(p! - 10_000)))
    expect(one.length).toBeGreaterThan(10) // 0.2% noise against a 0.05% threshold: noise alone publishes
    expect(spread(one)).toBeLessThan(10_000 * 0.002 * 6)
    expect(five.length).toBeLessThan(one.length) // the median of five moves less than one source
  })

  it('credits a publication to the venue\'s impact when impact moved the price more than the exogenous path', () => {
    // dev 1% = 100 ticks. Observations [t, price, exogenous, cause]: an impact observation (cause 7,
    // a fill) takes 80 ticks, then an exogenous step 30 more: 110 ticks, published at 2000. Impact
    // moved 80 > exogenous 30 → cause = the impact observation. Then exogenous steps of 90 and 30
    // (impact unchanged) → published at 4000, credited to the exogenous observation.
    const venue = new Venue(craftedVenueConfig())
    const path: [number, number, number, number][] = [
      [1000, 9_920, 10_000, 7], [2000, 9_890, 9_970, -1], [3000, 9_800, 9_880, -1], [4000, 9_770, 9_850, -1],
    ]
    const script = new ScriptDriver('path', path.map(([t, p, x, c]) => ({ atMs: t, input: externalPrice(t, 1, p, x, c) })))
    const oracle = new Oracle({ ...simpleOracle(1, 0, 60_000, 0.01) }, START, 'oracle')
    const events: VenueEvent[] = []
    new Simulation(venue, [script, oracle], { endMs: 5000, checkpointEvery: 1e9, sinks: [{ event: (e) => events.push(e), checkpoint() {} }] }).run()
    const seqOf = (t: number) => events.find((e) => e.kind === 'ExternalPrice' && e.t === t)!.seq
    const published = events.flatMap((e) => (e.kind === 'OraclePrice' ? [[e.t, e.priceTicks, e.cause]] : []))
    expect(published).toEqual([[0, 10_000, -1], [2000, 9_890, seqOf(1000)], [4000, 9_770, seqOf(4000)]])
  })
})
