// Square-root law of metaorder impact (issue 17, Validation; docs/validation/square_root_law.md).
// Target: I(Q) ∝ Q^δ with δ in [0.4, 0.6] (published ≈ 0.49–0.5), decaying after the metaorder.
//
// THE TARGET IS NOT MET by the default world, and this test pins what the simulator does instead,
// so that a change to the price chain shows up here. A metaorder sold at 100 lots/s into the
// default book (3 makers × 30 levels × 300 lots, inventorySkew 0.5, 2 arbitrageurs, noise traders;
// no shock, no exogenous walk, no leveraged population):
//  - is concave, but with δ ≈ 0.77 over 3k–30k lots (0.75–0.96 over other ranges and rates), not
//    ½. Below the arbitrage band (edgeRate 10 bp = 60 ticks) the impact is the makers' inventory
//    skew, linear in the inventory they absorbed (κ = inventorySkew·spacing/lotsPerLevel per lot),
//    amplified by the oracle reading the venue's last trade (venueShare ½); past the band the
//    arbitrageurs take the makers' inventory and hedge it on the reference market, whose permanent
//    part G∞ = impactTicksPerLot (0.004 ticks/lot) is linear in Q and dwarfs the square-root
//    transient part. Linear + offset reads as a concave curve over one decade, not a power law.
//  - does not decay: the skew stays until someone takes the makers' inventory (noise flow is
//    symmetric), the arbitrageurs never unwind, and the reference market's permanent part stays.
//    The propagator alone would give I(T + 4T)/I(T) = √5 − 2 ≈ 0.24.
// If the exponent test fails because δ fell into [0.4, 0.6], the model gained the square root:
// replace these assertions with the target's. (Negative control, by hand: with G∞ = 0, g0 = 0.01673
// and marketMakers.hedgeRate 0.1 the exponent is 0.56 and I(T + 4T)/I(T) 0.24, and both fail.)

import { beforeAll, describe, expect, it } from 'vitest'
import { meanInterval } from '../../analysis/report/sweep_statistics.js'
import { fitExponent, runMetaorder, type ImpactCell, type MetaorderResult } from '../../experiments/validation/metaorder.js'

const SEEDS = [1, 2, 3, 4]
const SIZES = [3_000, 10_000, 30_000]
const LOTS_PER_SECOND = 100
const NO_WALK = { price: { volatilityPerStep: 0 } }

describe('square-root law (metaorders into book + makers)', () => {
  let runs: MetaorderResult[][] = []
  let cells: ImpactCell[] = []
  beforeAll(() => {
    runs = SIZES.map((lots) => SEEDS.map((seed) => runMetaorder({
      seed, side: 'sell', lots, lotsPerSecond: LOTS_PER_SECOND, decayLagsT: [4], overrides: NO_WALK,
    })))
    cells = runs.map((bySeed, k) => ({ lots: SIZES[k]!, peaks: bySeed.map((r) => r.peak), ...meanInterval(bySeed.map((r) => r.peak)) }))
  })

  it('fills every child and moves the mid the way it trades, more for a larger Q', () => {
    runs.forEach((bySeed, k) => bySeed.forEach((r) => expect(r.filledLots, `Q ${SIZES[k]}`).toBe(SIZES[k])))
    expect(cells[0]!.mean).toBeGreaterThan(0)
    expect(cells[1]!.mean).toBeGreaterThan(cells[0]!.mean)
    expect(cells[2]!.mean).toBeGreaterThan(cells[1]!.mean)
  })

  it('is concave over a decade but steeper than the square root (target [0.4, 0.6] not met)', () => {
    const fit = fitExponent(cells)
    expect(cells[2]!.mean / cells[0]!.mean).toBeLessThan(10) // concave: I(10Q) < 10·I(Q)
    expect(fit.slope).toBeGreaterThan(0.6) // measured 0.77 with these seeds; the square root would be 0.5
    expect(fit.slope).toBeLessThan(0.95)
  })

  it('does not decay after the metaorder (the propagator alone would keep √5 − 2 ≈ 0.24 at T + 4T)', () => {
    const after = meanInterval(runs[2]!.map((r) => r.decay[0]!)).mean
    expect(after / cells[2]!.mean).toBeGreaterThan(0.7)
  })

  it('a buy moves the mid up by about as much as a sell moves it down', () => {
    const buys = SEEDS.map((seed) => runMetaorder({ seed, side: 'buy', lots: 10_000, lotsPerSecond: LOTS_PER_SECOND, decayLagsT: [], overrides: NO_WALK }).peak)
    const buy = meanInterval(buys).mean
    expect(buy).toBeGreaterThan(0.7 * cells[1]!.mean)
    expect(buy).toBeLessThan(1.3 * cells[1]!.mean)
  })
})
