// The scenario's liquidation section: resolution into engine units and clear errors for bad input.

import { describe, expect, it } from 'vitest'
import { UNBOUNDED } from '../../engine/liquidation/liquidation_config.js'
import { UserError } from '../../experiments/errors.js'
import { parseScenario, venueConfigOf } from '../../experiments/scenario.js'

describe('scenario liquidation section', () => {
  it('resolves curves in cash units, filling fields from the section and the instrument', () => {
    const scenario = parseScenario({
      liquidation: {
        targetHealth: 1.5, stepIntervalMs: 2000, deficit: 'socialized', fundReserve: 1000,
        curves: { 'BTC-PERP': { points: [{ notional: 100_000, penaltyRate: 0.004 }, { stepShareMax: 0.2, stepNotionalMax: 500_000 }] } },
      },
      liquidators: { count: 2 },
    }, 'test.yaml')
    const config = venueConfigOf(scenario).liquidation!
    // generic preset: cash unit 0.001 USD, BTC-PERP band 3%, penalty 0.5%
    expect(config).toMatchObject({ stepIntervalMs: 2000, deficitMode: 'socialized', fundReserve: 1_000_000, auctionMs: 500 })
    expect(config.curves[0]).toEqual({
      shape: 'table', points: [
        { notional: 100_000_000, penaltyRate: 0.004, bandRate: 0.03, targetHealth: 1.5, stepShareMax: 1, stepNotionalMax: UNBOUNDED },
        { notional: UNBOUNDED, penaltyRate: 0.005, bandRate: 0.03, targetHealth: 1.5, stepShareMax: 0.2, stepNotionalMax: 500_000_000 },
      ],
    })
  })

  it('holds no auctions without liquidators', () => {
    expect(venueConfigOf(parseScenario({ liquidation: { auctionMs: 800 } }, 'x')).liquidation!.auctionMs).toBe(0)
  })

  it('rejects bad values naming the file, field and value', () => {
    const error = (raw: unknown): string => {
      try {
        parseScenario(raw, 'bad.yaml')
      } catch (e) {
        expect(e).toBeInstanceOf(UserError)
        return (e as Error).message
      }
      throw new Error('accepted')
    }
    expect(error({ liquidation: { targetHealth: 0.8 } })).toMatch(/^bad\.yaml: liquidation\.targetHealth: .*\(got 0\.8\)/)
    expect(error({ liquidation: { deficit: 'clawback' } })).toMatch(/^bad\.yaml: liquidation\.deficit: .*clawback/)
    expect(error({ liquidation: { curves: { 'XRP-PERP': { points: [{}] } } } })).toMatch(/liquidation\.curves\.XRP-PERP: not a listed instrument/)
    expect(error({ liquidation: { curves: { 'BTC-PERP': { shape: 'curve', points: [{ penaltyRate: 0.01 }] } } } }))
      .toMatch(/liquidation\.curves\.BTC-PERP\.points\[0\]\.notional: required/)
    expect(error({ liquidation: { curves: { 'BTC-PERP': { points: [{ notional: 5000 }, { notional: 1000 }, {}] } } } }))
      .toMatch(/points\[1\]\.notional: must exceed the previous point's \(got 1000\)/)
    expect(error({ liquidators: { count: -1 } })).toMatch(/liquidators\.count/)
  })
})
