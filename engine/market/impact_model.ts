// Parametric price impact: how far a trade of Q lots moves a price, for instruments executed
// against a model instead of a book and for the venue's spill-over into the external price.
//
//   linear (Kyle 1985)            I(Q) = λ·Q                      ticks; λ in ticks per lot
//   square root (Tóth et al. 2011) I(Q) = Y·σ·P·√(Q/V)            ticks; σ daily volatility, V daily volume (lots), P price (ticks)
//
// A taking order of Q lots walks the marginal curve p(x) = P ∓ I(x) for x in [0, Q], so it fills
// at the average of that curve: P ∓ I(Q)/2 (linear) or P ∓ (2/3)·I(Q) (square root), and leaves
// the price displaced by I(Q). A share `transientShare` of each displacement is transient and
// decays by half every `halfLifeMs` (Bouchaud et al. 2004's propagator with an exponential
// kernel; Obizhaeva & Wang 2013's resilience); the rest is permanent.
//
// Non-goals: no cross-impact between instruments, no concave aggregation of successive orders
// (each order, or each batch of flow, is its own metaorder). The decay uses expDeterministic, so
// a replay reproduces the same bits.

import { fail } from '../assert.js'
import { expDeterministic } from '../deterministic_math.js'

const LN2 = 0.6931471805599453

export type ImpactModelKind = 'linear' | 'square_root'

export interface ImpactModelConfig {
  model: ImpactModelKind
  /** linear: λ, ticks per lot. */
  ticksPerLot: number
  /** square root: Y, dimensionless (of order 1 empirically). */
  y: number
  /** square root: daily volatility σ (fraction, e.g. 0.03). */
  dailyVolatility: number
  /** square root: daily traded volume V (lots). */
  dailyVolumeLots: number
  /** Share of each displacement that decays (0 = all permanent). */
  transientShare: number
  /** Half-life of the transient part (simulated ms; 0 = it vanishes at once). */
  halfLifeMs: number
}

/** Throws on a configuration no formula can use (programming errors; scenarios check user input). */
export function checkImpactModel(config: ImpactModelConfig, where: string): void {
  if (!(config.model === 'linear' || config.model === 'square_root')) fail(`${where}: impact model ${String(config.model)}`)
  if (!(config.ticksPerLot >= 0 && Number.isFinite(config.ticksPerLot))) fail(`${where}: ticksPerLot ${config.ticksPerLot}`)
  if (config.model === 'square_root') {
    if (!(config.y >= 0 && config.dailyVolatility >= 0)) fail(`${where}: y and dailyVolatility must be >= 0`)
    if (!(config.dailyVolumeLots > 0)) fail(`${where}: dailyVolumeLots must be > 0`)
  }
  if (!(config.transientShare >= 0 && config.transientShare <= 1)) fail(`${where}: transientShare ${config.transientShare}`)
  if (!(config.halfLifeMs >= 0)) fail(`${where}: halfLifeMs ${config.halfLifeMs}`)
}

/** Price displacement I(Q) in ticks caused by trading `lots` (≥ 0) at price `priceTicks`. */
export function impactTicks(config: ImpactModelConfig, lots: number, priceTicks: number): number {
  if (config.model === 'linear') return config.ticksPerLot * lots
  return config.y * config.dailyVolatility * priceTicks * Math.sqrt(lots / config.dailyVolumeLots)
}

/** Average slippage (ticks) of a `lots` order walking the marginal curve: I(Q)/2 linear, (2/3)·I(Q) square root. */
export function averageImpactTicks(config: ImpactModelConfig, lots: number, priceTicks: number): number {
  const full = impactTicks(config, lots, priceTicks)
  return config.model === 'linear' ? full / 2 : (2 * full) / 3
}

/** Largest whole number of lots whose marginal displacement stays within `maxImpactTicks` (Infinity if impact is zero). */
export function lotsWithin(config: ImpactModelConfig, maxImpactTicks: number, priceTicks: number): number {
  if (!(maxImpactTicks >= 0)) return 0
  if (config.model === 'linear') return config.ticksPerLot === 0 ? Infinity : Math.floor(maxImpactTicks / config.ticksPerLot + 1e-9)
  const perRootLot = config.y * config.dailyVolatility * priceTicks / Math.sqrt(config.dailyVolumeLots)
  if (perRootLot === 0) return Infinity
  const root = maxImpactTicks / perRootLot
  return Math.floor(root * root + 1e-9)
}

/**
 * The displacement a model has accumulated: permanent ticks plus a transient part that decays
 * from `transientTicks` (valid at `transientAtMs`) with the model's half-life.
 */
export class ImpactState {
  permanentTicks = 0
  transientTicks = 0
  transientAtMs = 0

  constructor(readonly config: ImpactModelConfig) {}

  /** Transient displacement at `t` (ms ≥ transientAtMs). */
  transientAt(t: number): number {
    if (this.transientTicks === 0) return 0
    const elapsed = t - this.transientAtMs
    if (elapsed <= 0) return this.transientTicks
    if (this.config.halfLifeMs === 0) return 0
    return this.transientTicks * expDeterministic((-LN2 * elapsed) / this.config.halfLifeMs)
  }

  /** Total displacement (ticks) at time `t`. */
  offsetAt(t: number): number {
    return this.permanentTicks + this.transientAt(t)
  }

  /** Adds a displacement of `signedTicks` at `t`, split into permanent and transient parts. */
  displace(t: number, signedTicks: number): void {
    const transient = signedTicks * this.config.transientShare
    this.transientTicks = this.transientAt(t) + transient
    this.transientAtMs = t
    this.permanentTicks += signedTicks - transient
  }
}
