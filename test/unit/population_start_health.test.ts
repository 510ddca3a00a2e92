// Populations start healthy (agents/population_health.ts): drawn accounts below startHealthMin ×
// maintenance are clamped and counted, stated leverage that cannot start healthy is rejected
// naming the field, explicit lists are never clamped, and allowUnhealthyStart only counts.

import { writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { VenueEvent } from '../../engine/events.js'
import { Simulation } from '../../engine/simulation.js'
import { buildWorld, type World } from '../../experiments/world.js'
import { cli, expectOneLineError } from '../helpers/cli.js'
import { smallScenario } from '../helpers/small_world.js'

/** Runs the setup (t = 0 only); returns the Liquidation events it caused. */
function runSetup(world: World): VenueEvent[] {
  const liquidations: VenueEvent[] = []
  new Simulation(world.venue, world.drivers, {
    endMs: 0, checkpointEvery: 1e9, sinks: [{ event: (e) => { if (e.kind === 'Liquidation') liquidations.push(e) }, checkpoint() {} }],
  }).run()
  return liquidations
}

/** Lowest equity / maintenance over `accounts` after setup. */
function lowestHealth(world: World, accounts: number[]): number {
  const { margin, accounts: store } = world.venue
  return Math.min(...accounts.map((a) => margin.equity(store, a) / margin.maintenanceMargin(store, a)))
}

// generic venue: MM 1%. Leverage 60 with a 3% entry spread puts many accounts below 1.1 × MM.
const spread = { count: 400, collateral: { median: 5000, sigma: 0.5 }, leverage: { mix: [{ value: 5, weight: 1 }, { value: 60, weight: 1 }] }, entrySpreadRate: 0.03 }

describe('populations start healthy', () => {
  it('clamps drawn accounts to start at ≥ startHealthMin × maintenance, and counts them', () => {
    const world = buildWorld(smallScenario({ population: { pairs: 0 }, populations: [spread] }), 3)
    const [pairs, drawn] = world.startHealth
    expect(pairs).toMatchObject({ field: 'population', clamped: 0 })
    expect(drawn).toMatchObject({ field: 'populations.0', startHealthMin: 1.1, allowUnhealthyStart: false, belowMaintenance: 0 })
    expect(drawn!.clamped).toBeGreaterThan(20)
    expect(runSetup(world)).toEqual([])
    expect(lowestHealth(world, world.accounts.populations[0]!.accounts)).toBeGreaterThanOrEqual(1.1)
  })

  it('the same draws either way: only clamped accounts differ', () => {
    const clampedWorld = buildWorld(smallScenario({ population: { pairs: 0 }, populations: [spread] }), 3)
    const allowedWorld = buildWorld(smallScenario({ population: { pairs: 0 }, populations: [{ ...spread, allowUnhealthyStart: true }] }), 3)
    const allowed = allowedWorld.startHealth[1]!
    expect(allowed.clamped).toBe(0)
    expect(allowed.belowMaintenance).toBeGreaterThan(0)
    expect(allowed.belowMaintenance).toBeLessThanOrEqual(clampedWorld.startHealth[1]!.clamped)
    expect(runSetup(allowedWorld).length).toBeGreaterThan(0) // the runaway start the check prevents
  })

  it('pair populations: an account drawn below the margin gets the least deposit that reaches it', () => {
    // leverage 75 passes the stated check (health 1.33 in cash), but 80% posted in ETH at a 30% haircut is worth 0.76 of it
    const world = buildWorld(smallScenario({
      population: { leverageMax: 75, collateral: { ETH: 0.8 } }, venue: { assets: { ETH: { haircut: 0.3 } } }, price: { startByAsset: { ETH: 3000 } },
    }), 5)
    expect(world.startHealth[0]!.clamped).toBeGreaterThan(0)
    expect(runSetup(world)).toEqual([])
    expect(lowestHealth(world, world.accounts.population)).toBeGreaterThanOrEqual(1.1)
  })

  it('rejects stated leverage that cannot start healthy, naming the field', () => {
    expect(() => buildWorld(smallScenario({ population: { leverageMax: 95 } }), 1)).toThrow(/population\.leverageMax: 95 starts below 1\.1/)
    expect(() => buildWorld(smallScenario({ population: { pairs: 0 }, populations: [{ count: 5, leverage: { value: 100 } }] }), 1))
      .toThrow(/populations\.0\.leverage: 100 starts below/)
    expect(() => buildWorld(smallScenario({ population: { pairs: 0 }, populations: [{ accounts: [{ collateral: 1000, leverage: 5, side: 'long', entryPrice: 90_000 }] }] }), 1))
      .toThrow(/populations\.0\.accounts\.0: starts at health below/)
    expect(buildWorld(smallScenario({ population: { leverageMax: 95, allowUnhealthyStart: true } }), 1).startHealth[0]!.allowUnhealthyStart).toBe(true)
  })

  it('the CLI rejects it with one line and exit 2', () => {
    const file = '/tmp/fundcli/unhealthy.yaml'
    writeFileSync(file, 'name: unhealthy\npopulation: { leverageMax: 120 }\n')
    const run = cli('run', file, '--out', '/tmp/fundcli/out')
    expect(run.code).toBe(2)
    expectOneLineError(run.stderr, /population\.leverageMax: 120/)
  })
})
