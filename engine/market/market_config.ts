// Per-instrument market rules the venue applies (part of VenueConfig, so a journal carries them
// and replay re-applies them): how taking orders execute (the order book, or a parametric
// impact model against a counterparty account), how the mark price is formed, and funding.
// Units: money in cash units, time in simulated ms, rates as fractions per funding interval
// unless named per 8 hours.

import { fail } from '../assert.js'
import { checkImpactModel, type ImpactModelConfig } from './impact_model.js'

/** book: limit order book; linear / square_root: taking orders fill against the impact model. */
export type ExecutionModel = 'book' | 'linear' | 'square_root'

/**
 * oracle: the base asset's oracle price; book_mid: (best bid + best ask) / 2; impact_mid: mean of the
 * impact bid and ask (average fill prices of `impactNotional` on each side); median: median of
 * the funding-basis price, the oracle + moving basis (or the oracle alone), and the book mid
 * (Binance's formula).
 * For a model-executed instrument the book and impact mids are the model's price.
 */
export type MarkMethod = 'oracle' | 'book_mid' | 'impact_mid' | 'median'

export interface ExecutionConfig {
  model: ExecutionModel
  /** The impact model (used unless model is 'book'; its kind equals `model`). */
  impact: ImpactModelConfig
  /** Account that takes the other side of model executions (−1 with a book). */
  counterparty: number
}

export interface MarkPriceConfig {
  method: MarkMethod
  /** Book-based marks are re-read every this many ms (MarketTick inputs). */
  intervalMs: number
  /** Half-life of the moving average of the basis (book mid − oracle) in the median method (ms; 0 = no basis term: P2 is the oracle). */
  basisHalfLifeMs: number
}

export interface FundingConfig {
  enabled: boolean
  /** Time between funding settlements (ms). */
  intervalMs: number
  /** Time between premium-index samples (ms). */
  sampleMs: number
  /** Interest rate per 8 hours (Binance: 0.01%). */
  interestRate8h: number
  /** Bound on (interest − premium) per 8 hours (Binance: 0.05%). */
  clampRate8h: number
  /** Bound on the funding rate per interval. */
  capRate: number
  /** mean: plain average of samples (Hyperliquid); linear_weights: sample k weighs k (Binance). */
  averaging: 'mean' | 'linear_weights'
}

export interface MarketConfig {
  execution: ExecutionConfig
  mark: MarkPriceConfig
  funding: FundingConfig
  /** Notional (cash units) whose average fill price is the impact bid / ask (Binance: 200 USDT × max leverage). */
  impactNotional: number
}

/** A book-executed, oracle-marked instrument without funding: the rules before markets were configurable. */
export function defaultMarketConfig(): MarketConfig {
  return {
    execution: {
      model: 'book', counterparty: -1,
      impact: { model: 'linear', ticksPerLot: 0, y: 1, dailyVolatility: 0, dailyVolumeLots: 1, transientShare: 0, halfLifeMs: 0 },
    },
    mark: { method: 'oracle', intervalMs: 1000, basisHalfLifeMs: 150_000 },
    funding: {
      enabled: false, intervalMs: 28_800_000, sampleMs: 5000, interestRate8h: 0.0001, clampRate8h: 0.0005, capRate: 0.0075,
      averaging: 'mean',
    },
    impactNotional: 0,
  }
}

/** Checks one instrument's market rules (programming errors; scenarios report user errors first). */
export function checkMarketConfig(config: MarketConfig, symbol: string): void {
  const { execution, mark, funding } = config
  if (execution.model !== 'book') {
    if (!(execution.impact.model === execution.model)) fail(`venue: ${symbol} execution ${execution.model} with a ${execution.impact.model} impact model`)
    checkImpactModel(execution.impact, `venue: ${symbol}`)
    if (!(Number.isInteger(execution.counterparty) && execution.counterparty > 0)) fail(`venue: ${symbol} needs a counterparty account`)
  }
  if (!(Number.isInteger(mark.intervalMs) && mark.intervalMs >= 1)) fail(`venue: ${symbol} mark intervalMs ${mark.intervalMs}`)
  if (!(mark.basisHalfLifeMs >= 0)) fail(`venue: ${symbol} basisHalfLifeMs ${mark.basisHalfLifeMs}`)
  if (!(config.impactNotional >= 0)) fail(`venue: ${symbol} impactNotional ${config.impactNotional}`)
  if (mark.method === 'impact_mid' && execution.model === 'book' && !(config.impactNotional > 0)) {
    fail(`venue: ${symbol} impact_mid mark needs impactNotional > 0`)
  }
  if (funding.enabled) {
    if (!(Number.isInteger(funding.intervalMs) && funding.intervalMs >= 1)) fail(`venue: ${symbol} funding intervalMs ${funding.intervalMs}`)
    if (!(Number.isInteger(funding.sampleMs) && funding.sampleMs >= 1 && funding.sampleMs <= funding.intervalMs)) {
      fail(`venue: ${symbol} funding sampleMs ${funding.sampleMs}`)
    }
    if (!(funding.clampRate8h >= 0 && funding.capRate >= 0)) fail(`venue: ${symbol} funding clamp and cap must be >= 0`)
    if (!(config.impactNotional > 0)) fail(`venue: ${symbol} funding needs impactNotional > 0`)
  }
}

/** True if the instrument's mark reads the book or model (so it is re-read on MarketTick inputs). */
export function markReadsMarket(config: MarketConfig): boolean {
  return config.mark.method !== 'oracle'
}
