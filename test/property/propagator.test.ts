// No dynamic arbitrage in the reference market's propagator (fast-check, seeded): over random
// parameters (β in (0, 1], τ0, g0, G∞, K) and random schedules that end flat, with zero fees, no
// round trip makes money (Huberman & Stanzl 2004; Gatheral 2010: "sell in n pieces, buy back in
// one block: profit ≤ 0 for every n"). Schedules: sell Q in n = 1…50 pieces at random times then
// buy it back in one block, the reverse (buy in pieces, sell in a block), a block first and
// pieces back, and random mixed trades closed by one flattening trade. Gaps between trades mix
// 0 ms, milliseconds, minutes and days, so both same-time trades and the kernel's tail are hit.
//
// Controls: the exact power law, summed directly, passes too; the same checker finds profitable
// round trips in the permanent square-root model of impact_model.ts (Huberman–Stanzl's example)
// and under linear impact with a kernel that is not positive definite, so this test can fail.

import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { averageImpactTicks, ImpactState, impactTicks, type ImpactModelConfig } from '../../engine/market/impact_model.js'
import { defaultPropagatorConfig, Propagator, type PropagatorConfig } from '../../engine/market/propagator.js'

interface Trade { tMs: number; lots: number }
/** Executes a trade and returns its average fill's displacement from the unperturbed price (ticks). */
type Execute = (tMs: number, signedLots: number) => number

/** Profit (ticks × lots) of a schedule that ends flat: −Σ q_j·fill_j (the start price cancels). */
function roundTripProfit(execute: Execute, trades: Trade[]): { profit: number; scale: number } {
  let profit = 0
  let scale = 0 // Σ |q_j·fill_j|: the size of the sum's rounding error
  let position = 0
  for (const trade of trades) {
    const fill = execute(trade.tMs, trade.lots)
    profit -= trade.lots * fill
    scale += Math.abs(trade.lots * fill)
    position += trade.lots
  }
  expect(position).toBe(0)
  return { profit, scale }
}

function propagatorExecute(config: PropagatorConfig): Execute {
  const propagator = new Propagator(config)
  return (tMs, lots) => propagator.trade(tMs, lots)
}

/** Direct O(n²) propagator over any kernel G (ticks per lot), same fill convention: the reference model. */
function kernelExecute(kernel: (tauMs: number) => number): Execute {
  const past: Trade[] = []
  return (tMs, lots) => {
    let before = 0
    for (const trade of past) before += kernel(tMs - trade.tMs) * trade.lots
    past.push({ tMs, lots })
    return before + (kernel(0) * lots) / 2
  }
}

/** The old permanent model: fill at offset ∓ average impact, then displace by I(|q|). */
function impactModelExecute(config: ImpactModelConfig, priceTicks: number): Execute {
  const state = new ImpactState(config)
  return (tMs, lots) => {
    const sign = Math.sign(lots)
    const fill = state.offsetAt(tMs) + sign * averageImpactTicks(config, Math.abs(lots), priceTicks)
    state.displace(tMs, sign * impactTicks(config, Math.abs(lots), priceTicks))
    return fill
  }
}

const gapMs = fc.oneof(
  fc.constant(0), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 600_000 }), fc.integer({ min: 0, max: 5 * 86_400_000 }),
)
const piece = fc.integer({ min: 1, max: 100_000 })

/** Times from gaps, starting at 0. */
function timesOf(gaps: number[]): number[] {
  let t = 0
  return gaps.map((gap) => (t += gap))
}

/** n pieces one way (sign), then the block back; or the block first (blockFirst) and the pieces back. */
const splitSchedule = fc.record({
  pieces: fc.array(piece, { minLength: 1, maxLength: 50 }),
  gaps: fc.array(gapMs, { minLength: 51, maxLength: 51 }),
  sign: fc.constantFrom(-1, 1),
  blockFirst: fc.boolean(),
}).map(({ pieces, gaps, sign, blockFirst }): Trade[] => {
  const times = timesOf(gaps)
  const total = pieces.reduce((a, b) => a + b, 0)
  const lots = blockFirst ? [-sign * total, ...pieces.map((q) => sign * q)] : [...pieces.map((q) => sign * q), -sign * total]
  return lots.map((q, k) => ({ tMs: times[k] as number, lots: q }))
})

/** Random signed trades, then one trade that closes the position. */
const mixedSchedule = fc.array(fc.record({ gap: gapMs, lots: fc.integer({ min: -100_000, max: 100_000 }) }), { minLength: 1, maxLength: 50 })
  .chain((trades) => gapMs.map((lastGap): Trade[] => {
    const times = timesOf([...trades.map((t) => t.gap), lastGap])
    const schedule = trades.map((trade, k) => ({ tMs: times[k] as number, lots: trade.lots }))
    const position = trades.reduce((sum, trade) => sum + trade.lots, 0)
    return [...schedule, { tMs: times[trades.length] as number, lots: -position }]
  }))

const config = fc.record({
  permanentTicksPerLot: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.05, noNaN: true })),
  transientTicksPerLot: fc.oneof(fc.constant(defaultPropagatorConfig.transientTicksPerLot), fc.double({ min: 0, max: 1, noNaN: true })),
  decayExponent: fc.oneof(fc.constant(0.5), fc.constant(1), fc.double({ min: 0.01, max: 1, noNaN: true })),
  decayScaleMs: fc.constantFrom(1, 100, 1000, 60_000),
  exponentials: fc.oneof(fc.constant(30), fc.integer({ min: 16, max: 60 })),
})

const RUNS = 2000
/** Rounding in Σ q_j·fill_j: a few ulps of its largest terms (plus 1e-300 for subnormal g0 such as 6e-323). */
const RELATIVE_TOLERANCE = 1e-12
const ABSOLUTE_TOLERANCE = 1e-300

describe('propagator: no profitable round trip (no dynamic arbitrage)', () => {
  it(`split and mixed schedules that end flat never make money with zero fees [${RUNS} + ${RUNS} runs]`, () => {
    let worstRelative = -Infinity
    let worstProfit = -Infinity
    let schedules = 0
    const check = (c: PropagatorConfig, trades: Trade[]) => {
      const { profit, scale } = roundTripProfit(propagatorExecute(c), trades)
      if (scale > 1e-200) worstRelative = Math.max(worstRelative, profit / scale) // subnormal g0 has no relative precision
      worstProfit = Math.max(worstProfit, profit)
      schedules++
      expect(profit).toBeLessThanOrEqual(RELATIVE_TOLERANCE * scale + ABSOLUTE_TOLERANCE)
    }
    fc.assert(fc.property(config, splitSchedule, check), { numRuns: RUNS, seed: 17 })
    fc.assert(fc.property(config, mixedSchedule, check), { numRuns: RUNS, seed: 18 })
    console.log(`no dynamic arbitrage: ${schedules} schedules, largest profit ${worstProfit.toExponential(2)} ticks × lots; largest profit / Σ|q·fill| ${worstRelative.toExponential(2)} (scale > 1e-200; ≤ 0 is no profit)`)
  })

  it('the exact power law summed directly (no exponentials) passes the same property [300 runs]', () => {
    fc.assert(fc.property(config, splitSchedule, (c, trades) => {
      const kernel = (tauMs: number) => c.permanentTicksPerLot + c.transientTicksPerLot * (1 + tauMs / c.decayScaleMs) ** -c.decayExponent
      const { profit, scale } = roundTripProfit(kernelExecute(kernel), trades)
      expect(profit).toBeLessThanOrEqual(RELATIVE_TOLERANCE * scale + ABSOLUTE_TOLERANCE)
    }), { numRuns: 300, seed: 19 })
  })

  it('the issue\'s example is a loss under the propagator: sell 200,000 lots in 16 pieces a second apart, buy back in one block', () => {
    const trades: Trade[] = [...Array.from({ length: 16 }, (_, k) => ({ tMs: k * 1000, lots: -12_500 })), { tMs: 16_000, lots: 200_000 }]
    const { profit } = roundTripProfit(propagatorExecute(defaultPropagatorConfig), trades)
    console.log(`16 pieces + block, propagator defaults: profit ${profit.toFixed(0)} ticks × lots`)
    expect(profit).toBeLessThan(0)
  })
})

describe('negative control: the permanent square-root model of impact_model.ts', () => {
  const squareRoot: ImpactModelConfig = {
    model: 'square_root', ticksPerLot: 0, y: 1, dailyVolatility: 0.03, dailyVolumeLots: 50_000_000, transientShare: 0, halfLifeMs: 0,
  }
  const PRICE_TICKS = 60_000

  it('sell 200,000 lots in 16 pieces, buy back in one block: a profit with zero fees', () => {
    const trades: Trade[] = [...Array.from({ length: 16 }, (_, k) => ({ tMs: k * 1000, lots: -12_500 })), { tMs: 16_000, lots: 200_000 }]
    const { profit } = roundTripProfit(impactModelExecute(squareRoot, PRICE_TICKS), trades)
    console.log(`16 pieces + block, permanent square root: profit +${profit.toFixed(0)} ticks × lots`)
    expect(profit).toBeGreaterThan(0)
  })

  it('the same property fails on it (the checker can fail)', () => {
    const result = fc.check(fc.property(splitSchedule, (trades) => {
      const { profit, scale } = roundTripProfit(impactModelExecute(squareRoot, PRICE_TICKS), trades)
      return profit <= RELATIVE_TOLERANCE * scale + ABSOLUTE_TOLERANCE
    }), { numRuns: RUNS, seed: 17 })
    expect(result.failed).toBe(true)
  })
})

describe('negative control: linear impact with a kernel that is not positive definite', () => {
  // G(τ) = g0·(3e^(−τ/100 ms) − 2e^(−2τ/100 ms)) rises before it decays (G'(0) > 0); its Fourier
  // transform 6/(1 + ω²) − 8/(4 + ω²) (ω in 1/(100 ms)) is negative for ω² > 8, so some round trip gains.
  const kernel = (tauMs: number) => 0.0167 * (3 * Math.exp(-tauMs / 100) - 2 * Math.exp(-tauMs / 50))

  it('the same property fails on it', () => {
    const result = fc.check(fc.property(splitSchedule, (trades) => {
      const { profit, scale } = roundTripProfit(kernelExecute(kernel), trades)
      return profit <= RELATIVE_TOLERANCE * scale + ABSOLUTE_TOLERANCE
    }), { numRuns: RUNS, seed: 17 })
    expect(result.failed).toBe(true)
  })
})
