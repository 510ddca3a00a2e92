// The ADL queue kept between runs (an indexed heap re-scoring only changed accounts) picks
// exactly what a fresh ranking of every account picks: random worlds with an exhausted fund
// and ADL run twice, once as the engine does and once with the queue rebuilt from scratch
// before every run; the event streams must be identical and ADL must have happened.

import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { VenueEvent } from '../../engine/events.js'
import { Simulation, type EventSink } from '../../engine/simulation.js'
import { buildWorld } from '../../experiments/world.js'
import { smallScenario } from '../helpers/small_world.js'

function run(seed: number, pairs: number, drop: number, fresh: boolean): VenueEvent[] {
  const scenario = smallScenario({
    durationMs: 60_000,
    venue: { insuranceFund: 0 },
    price: { shocks: [{ atMs: 20_000, drop, durationMs: 0 }] },
    population: { pairs, leverageMax: 40 },
  })
  scenario.liquidation = { ...scenario.liquidation, deficit: 'adl' }
  const world = buildWorld(scenario, seed)
  if (fresh) {
    // reach the private queue: forget it before every run, so each run ranks every account afresh
    const adl = (world.venue.liquidation.procedure as unknown as { parts: { deleveraging: { cacheValid: boolean; run: (...args: number[]) => void } } }).parts.deleveraging
    const run = adl.run.bind(adl)
    adl.run = (...args: number[]) => {
      adl.cacheValid = false
      run(...args)
    }
  }
  const events: VenueEvent[] = []
  const sink: EventSink = { event: (e) => { events.push(e) }, checkpoint() {} }
  new Simulation(world.venue, world.drivers, { endMs: scenario.durationMs, checkpointEvery: 1e9, sinks: [sink] }).run()
  return events
}

describe('ADL queue', () => {
  it('picks what a fresh ranking picks', () => {
    let adlEvents = 0
    fc.assert(fc.property(fc.nat(1e6), fc.integer({ min: 5, max: 60 }), fc.double({ min: 0.1, max: 0.35, noNaN: true }), (seed, pairs, drop) => {
      const kept = run(seed, pairs, drop, false)
      const fresh = run(seed, pairs, drop, true)
      expect(kept).toEqual(fresh)
      adlEvents += kept.filter((e) => e.kind === 'AutoDeleverage').length
    }), { numRuns: 8, seed: 9 })
    expect(adlEvents).toBeGreaterThan(20)
  })
})
