// The reference market's propagator (engine/market/propagator.ts) against its theory:
//  - the sum of K exponentials follows G(τ) = G∞ + g0·(1 + τ/τ0)^(−β) within a stated relative error
//    from τ = 0 to kernelHorizonMs (≈ 1.9 days with the defaults);
//  - a trade fills at the average of its linear marginal curve, and impacts superpose;
//  - the square-root law emerges at a fixed participation rate (Bouchaud et al. 2004; Gatheral 2010;
//    Donier, Bonart, Mastromatteo, Bouchaud 2015): peak I ∝ Q^(1−β), then decay ~ t^(−β);
//  - the defaults give σ·P·√(Q/V) for a metaorder of 1% of daily volume;
//  - replays give identical bits; bad parameters are rejected naming the field.
// No dynamic arbitrage is the property test test/property/propagator.test.ts.

import { describe, expect, it } from 'vitest'
import { expm1Deterministic } from '../../engine/deterministic_math.js'
import { logLogSlope } from '../../analysis/log_log_slope.js'
import {
  defaultPropagatorConfig, kernelHorizonMs, Propagator, propagatorConfigProblems, type PropagatorConfig,
} from '../../engine/market/propagator.js'

const DAY_MS = 86_400_000

/** The exact power-law kernel (Math.pow is fine in a test). */
function powerLaw(config: PropagatorConfig, tauMs: number): number {
  return config.permanentTicksPerLot + config.transientTicksPerLot * (1 + tauMs / config.decayScaleMs) ** -config.decayExponent
}

/** Largest relative error of the realised kernel against the power law on a log grid of τ from 1 µs to `untilMs`, and at τ = 0. */
function worstKernelError(config: PropagatorConfig, untilMs: number): number {
  const propagator = new Propagator(config)
  let worst = Math.abs(propagator.kernelTicksPerLot(0) / powerLaw(config, 0) - 1)
  for (let e = -3; e <= Math.log10(untilMs); e += 0.002) {
    worst = Math.max(worst, Math.abs(propagator.kernelTicksPerLot(10 ** e) / powerLaw(config, 10 ** e) - 1))
  }
  return worst
}

/**
 * A metaorder of `lots` bought at `lotsPerMs` in slices every `sliceMs`; returns the propagator
 * (its last trade at the metaorder's end) and the end time. Peak impact = offsetAt(end).
 */
function metaorder(config: PropagatorConfig, lots: number, lotsPerMs: number, sliceMs: number): { propagator: Propagator; endMs: number } {
  const propagator = new Propagator(config)
  const slices = Math.round(lots / (lotsPerMs * sliceMs))
  for (let k = 0; k < slices; k++) propagator.trade(k * sliceMs, lots / slices)
  return { propagator, endMs: (slices - 1) * sliceMs }
}

// Participation η = 10% of V = 50,000,000 lots a day (the defaults' assumptions).
const LOTS_PER_MS = (0.1 * 50_000_000) / DAY_MS

describe('propagator kernel: K exponentials fitted to the power law', () => {
  it('defaults (β = ½, τ0 = 1 s, K = 30): relative error ≤ 5e-4 for τ from 0 to the horizon, ≈ 1.94 days', () => {
    const horizonMs = kernelHorizonMs(defaultPropagatorConfig)
    expect(horizonMs / DAY_MS).toBeCloseTo(1.942, 3)
    const worst = worstKernelError(defaultPropagatorConfig, horizonMs)
    console.log(`kernel fit, defaults: worst relative error ${worst.toExponential(2)} over [0, ${(horizonMs / DAY_MS).toFixed(2)} d]`)
    expect(worst).toBeLessThan(5e-4)
  })

  it('every β in (0, 1]: ≤ 1% up to the horizon (≤ 2e-3 for β ≥ 0.3); weights positive, rates doubling, G(0) = G∞ + g0', () => {
    for (const beta of [0.1, 0.3, 0.5, 0.7, 1]) {
      const config = { ...defaultPropagatorConfig, decayExponent: beta }
      const worst = worstKernelError(config, kernelHorizonMs(config))
      console.log(`kernel fit, β = ${beta}: worst relative error ${worst.toExponential(2)} up to the horizon`)
      expect(worst).toBeLessThan(beta >= 0.3 ? 2e-3 : 1e-2)
      const propagator = new Propagator({ ...config, permanentTicksPerLot: 0.002 })
      for (let k = 0; k < config.exponentials; k++) {
        expect(propagator.weightsTicksPerLot[k]).toBeGreaterThan(0)
        if (k > 0) expect(propagator.ratesPerMs[k]).toBe(2 * (propagator.ratesPerMs[k - 1] as number))
      }
      expect(propagator.instantTicksPerLot).toBeCloseTo(0.002 + defaultPropagatorConfig.transientTicksPerLot, 14)
    }
  })

  it('K = 60, τ0 = 1 ms (slowest rate 5.6e-17 per ms, so e^(−s_0·1 ms) rounds to 1): still ≤ 5e-4 from 1 µs to the horizon', () => {
    const config = { ...defaultPropagatorConfig, decayScaleMs: 1, exponentials: 60 }
    const worst = worstKernelError(config, kernelHorizonMs(config))
    console.log(`kernel fit, K = 60, τ0 = 1 ms: worst relative error ${worst.toExponential(2)} over [0, ${kernelHorizonMs(config).toExponential(2)} ms]`)
    expect(worst).toBeLessThan(5e-4)
  })

  it('past the horizon the kernel stays positive, decreasing and above G∞', () => {
    const config = { ...defaultPropagatorConfig, permanentTicksPerLot: 0.001 }
    const propagator = new Propagator(config)
    let previous = Infinity
    for (const days of [2, 5, 20, 100, 1000]) {
      const kernel = propagator.kernelTicksPerLot(days * DAY_MS)
      expect(kernel).toBeLessThan(previous)
      expect(kernel).toBeGreaterThanOrEqual(0.001)
      previous = kernel
    }
  })
})

describe('propagator execution', () => {
  it('a trade fills at offset + G(0)·q/2 and leaves G(0)·q; the permanent part stays', () => {
    const config = { ...defaultPropagatorConfig, permanentTicksPerLot: 0.005, transientTicksPerLot: 0.02 }
    const propagator = new Propagator(config)
    expect(propagator.trade(0, -1000)).toBeCloseTo(-0.025 * 1000 / 2, 10)
    expect(propagator.offsetAt(0)).toBeCloseTo(-25, 10)
    // 1000 lots bought back at t = 3 s: before = −5 − 20·(1 + 3)^(−½) = −15
    expect(propagator.trade(3000, 1000)).toBeCloseTo(-15 + 12.5, 3)
    expect(propagator.offsetAt(10 * DAY_MS)).toBeCloseTo(0, 2)
  })

  it('impacts superpose: a random schedule matches Σ G(t − t_j)·q_j with the exact power law within 1e-3', () => {
    const config = { ...defaultPropagatorConfig, permanentTicksPerLot: 0.001 }
    const propagator = new Propagator(config)
    const trades: { t: number; q: number }[] = []
    let t = 0
    let seed = 12345
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
    for (let k = 0; k < 300; k++) {
      t += Math.floor(next() * 600_000)
      const q = Math.round((next() - 0.45) * 20_000)
      propagator.trade(t, q)
      trades.push({ t, q })
      const probeMs = t + Math.floor(next() * 100_000)
      let exact = 0
      let scale = 0
      for (const trade of trades) {
        exact += powerLaw(config, probeMs - trade.t) * trade.q
        scale += powerLaw(config, probeMs - trade.t) * Math.abs(trade.q)
      }
      expect(Math.abs(propagator.offsetAt(probeMs) - exact)).toBeLessThan(1e-3 * scale)
    }
  })

  it('time going backwards and non-finite lots are assertion failures, and leave the state untouched', () => {
    const propagator = new Propagator(defaultPropagatorConfig)
    propagator.trade(5000, 100)
    const before = propagator.digestValues()
    expect(() => propagator.offsetAt(4999)).toThrow(/before the last trade/)
    expect(() => propagator.trade(4999, 1)).toThrow(/before the last trade/)
    expect(() => propagator.trade(6000, Number.NaN)).toThrow(/NaN lots/)
    expect(propagator.digestValues()).toEqual(before)
  })
})

describe('square-root law from linear impact and a τ^(−½) kernel', () => {
  it('peak impact of metaorders from 0.02% to 2% of daily volume at 10% participation: log-log slope in [0.4, 0.6]', () => {
    const sizes = [10_000, 30_000, 100_000, 300_000, 1_000_000]
    const peaks = sizes.map((lots) => {
      const { propagator, endMs } = metaorder(defaultPropagatorConfig, lots, LOTS_PER_MS, 1000)
      return propagator.offsetAt(endMs)
    })
    const slope = logLogSlope(sizes, peaks)
    console.log(`square-root law: peaks ${peaks.map((p) => p.toFixed(1)).join(', ')} ticks for Q = ${sizes.join(', ')} lots; slope ${slope.toFixed(4)}`)
    expect(slope).toBeGreaterThanOrEqual(0.4)
    expect(slope).toBeLessThanOrEqual(0.6)
    expect(Math.abs(slope - 0.5)).toBeLessThan(0.02)
  })

  it('defaults: 1% of daily volume (500,000 lots) peaks within 5% of σ·P·√0.01 = 180 ticks', () => {
    const { propagator, endMs } = metaorder(defaultPropagatorConfig, 500_000, LOTS_PER_MS, 1000)
    const peak = propagator.offsetAt(endMs)
    console.log(`1% of V at 10% participation: peak ${peak.toFixed(1)} ticks after ${(endMs / 3_600_000).toFixed(2)} h`)
    expect(Math.abs(peak / 180 - 1)).toBeLessThan(0.05)
  })

  it('after the end impact decays ~1/√t: I(T + 4t)/I(T + t) at t = 10·T is within 1% of the continuous formula and 0.05 of ½', () => {
    const lots = 100_000
    const { propagator, endMs } = metaorder(defaultPropagatorConfig, lots, LOTS_PER_MS, 1000)
    const durationMs = endMs + 1000
    const t = 10 * durationMs
    const ratio = propagator.offsetAt(endMs + 4 * t) / propagator.offsetAt(endMs + t)
    // Continuous constant-rate metaorder with G ∝ τ^(−½): I(T + t) ∝ √(T + t) − √t.
    const continuous = (Math.sqrt(durationMs + 4 * t) - Math.sqrt(4 * t)) / (Math.sqrt(durationMs + t) - Math.sqrt(t))
    console.log(`decay: I(T+4t)/I(T+t) = ${ratio.toFixed(4)} at t = 10T (T = ${(durationMs / 60_000).toFixed(1)} min); continuous ${continuous.toFixed(4)}; 1/√4 = 0.5`)
    expect(Math.abs(ratio / continuous - 1)).toBeLessThan(0.01)
    expect(Math.abs(ratio - 0.5)).toBeLessThan(0.05)
  })
})

describe('propagator determinism and configuration', () => {
  /** Runs a fixed schedule and returns the offsets probed along it. */
  function run(config: PropagatorConfig): { offsets: Float64Array; propagator: Propagator } {
    const propagator = new Propagator(config)
    const offsets = new Float64Array(400)
    for (let k = 0; k < 200; k++) {
      const t = k * 7919 + (k % 13) * 101
      propagator.trade(t, ((k * 7) % 23) - 11 + (k % 2 === 0 ? 0.5 : 0))
      offsets[2 * k] = propagator.offsetAt(t + 3)
      offsets[2 * k + 1] = propagator.offsetAt(t + 5000)
    }
    return { offsets, propagator }
  }

  it('same inputs give identical bits; reading offsetAt never changes the state', () => {
    const a = run(defaultPropagatorConfig)
    const b = run({ ...defaultPropagatorConfig })
    expect(Buffer.from(a.offsets.buffer).equals(Buffer.from(b.offsets.buffer))).toBe(true)
    const before = a.propagator.digestValues()
    a.propagator.offsetAt(2_000_000)
    a.propagator.kernelTicksPerLot(123)
    expect(Object.is(a.propagator.digestValues()[1], before[1])).toBe(true)
    expect(a.propagator.digestValues()).toEqual(before)
    expect(before.length).toBe(2 + defaultPropagatorConfig.exponentials)
    // Pinned bits: + − × ÷ and expDeterministic only, so every platform must print this.
    const last = new Float64Array([a.offsets[399] as number])
    expect(Buffer.from(last.buffer).toString('hex')).toBe(PINNED_LAST_OFFSET_HEX)
  })

  it('expm1Deterministic (the first decay factor) matches Math.expm1 to 1e-15, also where e^x rounds to 1', () => {
    for (const x of [-700, -3, -0.5, -0.4999, -0.1, -1e-3, -5.96e-11, -5.5e-17, 0, 1e-12, 0.3, 0.5, 2]) {
      expect(Math.abs(expm1Deterministic(x) - Math.expm1(x))).toBeLessThanOrEqual(1e-15 * Math.abs(Math.expm1(x)))
    }
    expect(expm1Deterministic(-5.5e-17)).toBe(-5.5e-17)
  })

  it('rejects each condition with a message naming the field, and accepts the defaults', () => {
    expect(propagatorConfigProblems(defaultPropagatorConfig)).toEqual([])
    const cases: [Partial<PropagatorConfig>, string][] = [
      [{ permanentTicksPerLot: -0.001 }, 'permanentTicksPerLot'],
      [{ transientTicksPerLot: -1 }, 'transientTicksPerLot'],
      [{ transientTicksPerLot: Number.NaN }, 'transientTicksPerLot'],
      [{ decayExponent: 0 }, 'decayExponent'],
      [{ decayExponent: 1.2 }, 'decayExponent'],
      [{ decayScaleMs: 0 }, 'decayScaleMs'],
      [{ decayScaleMs: Infinity }, 'decayScaleMs'],
      [{ exponentials: 15 }, 'exponentials'],
      [{ exponentials: 61 }, 'exponentials'],
      [{ exponentials: 30.5 }, 'exponentials'],
    ]
    for (const [change, field] of cases) {
      const problems = propagatorConfigProblems({ ...defaultPropagatorConfig, ...change })
      expect(problems).toHaveLength(1)
      expect(problems[0]).toMatch(new RegExp(`^${field}: `))
      expect(() => new Propagator({ ...defaultPropagatorConfig, ...change })).toThrow(field)
    }
    expect(propagatorConfigProblems({ ...defaultPropagatorConfig, decayExponent: 1, exponentials: 16 })).toEqual([])
  })
})

// Little-endian bytes of the last probed offset (recorded when the test was written).
const PINNED_LAST_OFFSET_HEX = '3239663562e2ab3f'
