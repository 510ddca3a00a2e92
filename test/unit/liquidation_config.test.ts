// Liquidation curves: table brackets and piecewise-linear curves by position notional, and the
// configuration checks.

import { describe, expect, it } from 'vitest'
import {
  checkLiquidationConfig, defaultLiquidationConfig, LiquidationCurves, UNBOUNDED, type LiquidationPoint,
} from '../../engine/liquidation/liquidation_config.js'
import { AssertionError } from '../../engine/assert.js'
import { craftedInstrument } from '../helpers/small_world.js'

const row = (notional: number, penaltyRate: number, extra: Partial<LiquidationPoint> = {}): LiquidationPoint => ({
  notional, penaltyRate, bandRate: 0.03, targetHealth: 1.25, stepShareMax: 1, stepNotionalMax: UNBOUNDED, ...extra,
})

describe('liquidation curves', () => {
  it('a table applies the first bracket whose edge is at least the notional, the last above its edge', () => {
    const curves = new LiquidationCurves([{ shape: 'table', points: [row(1000, 0.01), row(10_000, 0.02, { stepShareMax: 0.2 }), row(UNBOUNDED, 0.03)] }])
    expect([0, 1000, 1001, 10_000, 10_001, 1e12].map((n) => curves.penaltyRate(0, n))).toEqual([0.01, 0.01, 0.02, 0.02, 0.03, 0.03])
    expect(curves.stepShareMax(0, 5000)).toBe(0.2)
    expect(curves.stepShareMax(0, 500)).toBe(1)
  })

  it('a curve joins its points with straight lines and is flat beyond its ends', () => {
    const curves = new LiquidationCurves([{ shape: 'curve', points: [row(1000, 0.01), row(3000, 0.03, { targetHealth: 1.5 })] }])
    expect(curves.penaltyRate(0, 500)).toBe(0.01)
    expect(curves.penaltyRate(0, 2000)).toBeCloseTo(0.02, 15)
    expect(curves.penaltyRate(0, 2500)).toBeCloseTo(0.025, 15)
    expect(curves.penaltyRate(0, 9000)).toBe(0.03)
    expect(curves.targetHealth(0, 2000)).toBeCloseTo(1.375, 15)
  })

  it('the default curve is the instrument\'s band and penalty, flat', () => {
    const config = defaultLiquidationConfig([craftedInstrument({ liquidationBandRate: 0.07, liquidationPenaltyRate: 0.004 })])
    const curves = new LiquidationCurves(config.curves)
    expect(curves.bandRate(0, 123)).toBe(0.07)
    expect(curves.penaltyRate(0, 1e9)).toBe(0.004)
    expect(config.fullBelowHealth).toBeCloseTo(2 / 3, 15)
  })

  it('rejects inconsistent configurations', () => {
    const base = defaultLiquidationConfig([craftedInstrument()])
    const bad = [
      { ...base, fullBelowHealth: 1.5 },
      { ...base, stepIntervalMs: -1 },
      { ...base, curves: [] },
      { ...base, curves: [{ shape: 'table' as const, points: [row(100, 0.01), row(50, 0.01)] }] },
      { ...base, curves: [{ shape: 'table' as const, points: [row(100, 0.01, { targetHealth: 0.9 })] }] },
    ]
    for (const config of bad) expect(() => checkLiquidationConfig(config, 1)).toThrow(AssertionError)
    expect(() => checkLiquidationConfig(base, 1)).not.toThrow()
  })
})
