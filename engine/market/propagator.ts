// Transient price impact of the reference market (the other venues): a propagator (Bouchaud,
// Gefen, Potters, Wyart 2004) with LINEAR instantaneous impact and a power-law decay kernel,
//
//   displacement(t) = Σ_{t_j ≤ t} G(t − t_j)·q_j        ticks; q_j signed lots (buys > 0)
//   G(τ) = G∞ + g0·(1 + τ/τ0)^(−β)                        ticks per lot; β = ½ by default
//
// Goals: square-root peak impact for metaorders spread over time, decay ~1/√t afterwards, no
// profitable round trip for ANY schedule, O(K) work and state per trade, identical bits on replay.
// Non-goals: non-linear (concave) instantaneous impact, cross-impact, noise, rounding to ticks
// (the caller rounds), checking scenario input (propagatorConfigProblems gives the messages).
//
// Exponentials. The power law is a positive mixture of exponentials (Laplace representation,
// u = τ/τ0, s = e^x):  (1 + u)^(−β) = ∫ s^(β−1)·e^(−s)·e^(−s·u) ds / Γ(β) = ∫ e^(βx − e^x)·e^(−e^x·u) dx / Γ(β).
// The trapezoid rule in x with step ln 2 gives K exponentials at doubling rates, fixed at
// construction with + − × ÷ only:
//   s_k = 32·2^(k−K+1) / τ0   (k = 0 … K−1),   w_k ∝ e^(β·ln s_k − s_k), Σ w_k = 1,
// and the mass below the slowest rate, ∫_{−∞}^{x_0 − ln2/2} e^(βx) dx = e^(β(x_0 − ln2/2))/β, is added to w_0.
// Rates double, so one exponential per update gives every decay factor by squaring:
//
//   rate   s_0      s_1 = 2·s_0    …   s_{K−1} = 32/τ0           permanent
//   state  a_0      a_1            …   a_{K−1}                   G∞·Σq
//   decay  d_0 = e^(−s_0·Δ)  →  d_1 = d_0²  →  …  →  d_{K−1}      none
//
// a_k(t) = g0·w_k·Σ_j q_j·e^(−s_k(t − t_j)); displacement = G∞·Σq + Σ_k a_k. The fit holds to the
// relative error stated in test/unit/propagator.test.ts up to kernelHorizonMs (0.01/s_0); past it
// the kernel falls faster than the power law towards G∞ (still positive and convex).
//
// No dynamic arbitrage, by construction. A trade of q lots at t walks the linear marginal curve
// and fills at its average, before(t) + G(0)·q/2. For a round trip (Σ q_j = 0, t_1 ≤ … ≤ t_n) the
// cost is Σ_j q_j·fill_j = Σ_{i<j} q_i·G(t_j − t_i)·q_j + Σ_j G(0)·q_j²/2 = ½·qᵀMq, M_ij = G(|t_i − t_j|).
// A constant c ≥ 0 contributes c·(Σq)² ≥ 0; each e^(−s|τ|) is a positive-definite function (its
// Fourier transform, a Lorentzian, is positive: Bochner); positive weights keep the sum positive
// semi-definite. So every round trip costs ≥ 0 (Gatheral 2010: with linear impact the cost is this
// quadratic form, and a positive-definite decay kernel admits no dynamic arbitrage; Alfonsi,
// Schied, Slynko 2012: convex decreasing kernels admit no price manipulation).
// The property comes from the weights being positive, not from the fit being close.

import { fail } from '../assert.js'
import { expDeterministic, expm1Deterministic } from '../deterministic_math.js'

const LN2 = 0.6931471805599453
/** Fastest rate s_{K−1}·τ0: e^(−32) ≈ 1e−14, so faster rates would carry no weight. */
const FASTEST_RATE_PER_DECAY_SCALE = 32
/** The fit is stated up to τ = this / s_0 (relative error at β = ½: see the unit test). */
const HORIZON_RATE_PRODUCT = 0.01
/** After a decay factor below 2^−500 (e^−346) the faster ones are taken as 0: squaring never reaches subnormals. */
const DECAY_FLOOR = 3.054936363499605e-151 // 2^−500
export const EXPONENTIALS_MIN = 16
export const EXPONENTIALS_MAX = 60

export interface PropagatorConfig {
  /** G∞: permanent impact, ticks per lot (≥ 0). */
  permanentTicksPerLot: number
  /** g0: transient impact at τ = 0, ticks per lot (≥ 0). */
  transientTicksPerLot: number
  /** β: exponent of the transient decay, in (0, 1]; ½ gives the square-root law. */
  decayExponent: number
  /** τ0: time before the transient part starts to decay as a power law, simulated ms (> 0). */
  decayScaleMs: number
  /** K: exponentials that approximate the power law, whole number in [16, 60]; the fit holds up to kernelHorizonMs. */
  exponentials: number
}

/**
 * Defaults for a BTC-like reference market: price P = 60,000 ticks, daily volatility σ = 3%,
 * daily volume V = 50,000,000 lots (the scenario's dailyVolumeLots default), τ0 = 1 s, and a
 * metaorder trading at participation η = 10% of market volume (v = ηV/day lots per ms).
 * Peak impact for T ≫ τ0, β = ½ is I = 2·g0·√(τ0·v·Q); asking I = Y·σ·P·√(Q/V) with Y = 1 gives
 * g0 = σ·P / (2·V·√(τ0·η/day)) = 1800 / (2·5e7·√(1000·0.1/86,400,000)) ≈ 0.01673 ticks per lot,
 * e.g. 1% of V (500,000 lots over 2.4 h) peaks at ≈ 180 ticks = σ·P·√0.01. G∞ = 0: the mechanical
 * impact decays away; information enters through the exogenous price path (Donier et al. 2015).
 * K = 30 puts the horizon at 0.01·2^29/32·τ0 ≈ 1.9 simulated days.
 */
export const defaultPropagatorConfig: PropagatorConfig = Object.freeze({
  permanentTicksPerLot: 0,
  transientTicksPerLot: 0.01673,
  decayExponent: 0.5,
  decayScaleMs: 1000,
  exponentials: 30,
})

/** Every way `config` breaks the model's conditions, one message each starting with the field; [] if none. */
export function propagatorConfigProblems(config: PropagatorConfig): string[] {
  const finiteAtLeast = (x: number, low: number) => typeof x === 'number' && Number.isFinite(x) && x >= low
  const k = config.exponentials
  const rules: [keyof PropagatorConfig, boolean, string][] = [
    ['permanentTicksPerLot', finiteAtLeast(config.permanentTicksPerLot, 0), 'G∞ must be a finite number ≥ 0 (a buy may not push the price down for good)'],
    ['transientTicksPerLot', finiteAtLeast(config.transientTicksPerLot, 0), 'g0 must be a finite number ≥ 0 (a negative kernel lets round trips profit)'],
    ['decayExponent', finiteAtLeast(config.decayExponent, 0) && config.decayExponent > 0 && config.decayExponent <= 1, 'β must be in (0, 1]'],
    ['decayScaleMs', finiteAtLeast(config.decayScaleMs, 0) && config.decayScaleMs > 0, 'τ0 must be a finite number of ms > 0'],
    ['exponentials', Number.isInteger(k) && k >= EXPONENTIALS_MIN && k <= EXPONENTIALS_MAX, `K must be a whole number in [${EXPONENTIALS_MIN}, ${EXPONENTIALS_MAX}]`],
  ]
  return rules.filter(([, ok]) => !ok).map(([field, , rule]) => `${field}: ${rule}, got ${config[field]}`)
}

/** Longest lag (ms) at which the exponential sum is stated to follow the power law: 0.01/s_0. */
export function kernelHorizonMs(config: PropagatorConfig): number {
  return HORIZON_RATE_PRODUCT / (slowestRatePerDecayScale(config.exponentials) / config.decayScaleMs)
}

/** s_0·τ0 = 32·2^(1−K), by exact halvings (no Math.pow in the engine). */
function slowestRatePerDecayScale(exponentials: number): number {
  let rate = FASTEST_RATE_PER_DECAY_SCALE
  for (let i = 1; i < exponentials; i++) rate /= 2
  return rate
}

/** The propagator's state: permanent displacement, K decaying parts, and the time they are valid at. */
export class Propagator {
  /** Rates s_k (per ms), slowest first; s_{k+1} = 2·s_k exactly. */
  readonly ratesPerMs: Float64Array
  /** g0·w_k: ticks per lot each exponential carries at τ = 0 (written once, at construction). */
  readonly weightsTicksPerLot: Float64Array
  /** G(0) = G∞ + Σ g0·w_k, ticks per lot: the slope of the marginal curve a trade walks. */
  readonly instantTicksPerLot: number
  #permanentTicks = 0
  readonly #transientTicks: Float64Array
  readonly #decay: Float64Array
  #atMs = 0

  constructor(readonly config: PropagatorConfig) {
    const problems = propagatorConfigProblems(config)
    if (problems.length > 0) fail(`propagator: ${problems.join('; ')}`)
    const k = config.exponentials
    const beta = config.decayExponent
    this.ratesPerMs = new Float64Array(k)
    this.weightsTicksPerLot = new Float64Array(k)
    this.#transientTicks = new Float64Array(k)
    this.#decay = new Float64Array(k)
    let sum = 0
    let rate = slowestRatePerDecayScale(k) // s_i·τ0, doubled (exactly) each step
    for (let i = 0; i < k; i++, rate *= 2) {
      const x = (5 + i - k + 1) * LN2 // ln(s_i·τ0); 32 = 2^5
      const tail = i === 0 ? expDeterministic(beta * (x - LN2 / 2)) / beta : 0
      const weight = LN2 * expDeterministic(beta * x - rate) + tail
      this.ratesPerMs[i] = rate / config.decayScaleMs
      this.weightsTicksPerLot[i] = weight
      sum += weight
    }
    let instant = config.permanentTicksPerLot
    for (let i = 0; i < k; i++) {
      const weight = ((this.weightsTicksPerLot[i] as number) / sum) * config.transientTicksPerLot
      this.weightsTicksPerLot[i] = weight
      instant += weight
    }
    this.instantTicksPerLot = instant
  }

  /** Displacement (ticks) at `tMs` ≥ the last trade's time. Reads only: state bits never change. */
  offsetAt(tMs: number): number {
    this.#fillDecay(this.#elapsedMs(tMs))
    return this.#permanentTicks + this.#decayedSum(this.#transientTicks)
  }

  /**
   * Trades `signedLots` (buys > 0) at `tMs` ≥ the last trade's time. Returns the average fill's
   * displacement (ticks): offset just before plus G(0)·q/2; the offset then includes G(0)·q.
   */
  trade(tMs: number, signedLots: number): number {
    if (!Number.isFinite(signedLots)) fail(`propagator: trade of ${signedLots} lots`)
    this.#fillDecay(this.#elapsedMs(tMs))
    let before = this.#permanentTicks
    for (let i = 0; i < this.#transientTicks.length; i++) {
      const decayed = (this.#transientTicks[i] as number) * (this.#decay[i] as number)
      before += decayed
      this.#transientTicks[i] = decayed + (this.weightsTicksPerLot[i] as number) * signedLots
    }
    this.#permanentTicks += this.config.permanentTicksPerLot * signedLots
    this.#atMs = tMs
    return before + (this.instantTicksPerLot * signedLots) / 2
  }

  /** The realised kernel G(τ) (ticks per lot) for τ ≥ 0 ms: what the fit test compares with the power law. */
  kernelTicksPerLot(tauMs: number): number {
    if (!(tauMs >= 0)) fail(`propagator: kernel at τ = ${tauMs} ms`)
    this.#fillDecay(tauMs)
    return this.config.permanentTicksPerLot + this.#decayedSum(this.weightsTicksPerLot)
  }

  /** State for the venue digest, in fixed order: time, permanent ticks, then a_0 … a_{K−1}. */
  digestValues(): number[] {
    return [this.#atMs, this.#permanentTicks, ...this.#transientTicks]
  }

  /** Σ_k values_k·d_k over the decay factors #fillDecay wrote last. */
  #decayedSum(values: Float64Array): number {
    let sum = 0
    for (let i = 0; i < values.length; i++) sum += (values[i] as number) * (this.#decay[i] as number)
    return sum
  }

  /** Time since the last trade (ms); time going backwards is an assertion failure. */
  #elapsedMs(tMs: number): number {
    const elapsedMs = tMs - this.#atMs
    if (!(elapsedMs >= 0)) fail(`propagator: time ${tMs} ms before the last trade at ${this.#atMs} ms`)
    return elapsedMs
  }

  /**
   * Writes d_k = e^(−s_k·elapsed) into #decay (a scratch buffer, not state). While d > ½ it squares
   * through c = 1 − d, c' = c·(2 − c), so no bits are lost when s_0·elapsed is tiny (squaring d
   * itself would double the rounding error at every step); once d ≤ ½ it squares d.
   */
  #fillDecay(elapsedMs: number): void {
    const exponent = (this.ratesPerMs[0] as number) * elapsedMs // s_0·Δ
    let complement = exponent < 0.5 ? -expm1Deterministic(-exponent) : 1 // 1 − d_0 while d_0 > e^(−½)
    let decay = exponent < 0.5 ? 1 - complement : expDeterministic(-exponent)
    for (let i = 0; i < this.#decay.length; i++) {
      this.#decay[i] = decay
      if (complement < 0.5) {
        complement *= 2 - complement
        decay = 1 - complement
      } else {
        decay = decay < DECAY_FLOOR ? 0 : decay * decay
      }
    }
  }
}
