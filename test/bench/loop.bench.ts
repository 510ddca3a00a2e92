// The event loop: (1) the bare loop — scheduler pop, seq stamping, venue.apply of a trivial input,
// dispatch — against the scheduler alone; (2) the default scenario end to end, loop only vs with
// journal and summary. `npm run bench` prints events/s and the ratios (test/bench/report.ts).

import { bench, describe, expect } from 'vitest'
import { externalPrice, type ExternalPrice } from '../../engine/events.js'
import { JOURNAL_FORMAT_VERSION } from '../../engine/journal/journal_format.js'
import { JournalSink } from '../../engine/journal/journal_sink.js'
import { Scheduler } from '../../engine/scheduler.js'
import { Simulation, type Driver, type DriverContext } from '../../engine/simulation.js'
import { Venue } from '../../engine/venue.js'
import { SummarySink } from '../../analysis/run_analysis.js'
import { defaultScenario } from '../../experiments/scenario.js'
import { buildWorld } from '../../experiments/world.js'
import { craftedVenueConfig } from '../helpers/small_world.js'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const EVENTS = 100_000
const inputs: ExternalPrice[] = Array.from({ length: EVENTS }, (_, k) => externalPrice(k, 1, 1000 + (k % 7), 1000, -1))

/** Schedules EVENTS trivial inputs at t = 0, 1, 2, … and counts deliveries. */
class TrivialDriver implements Driver {
  readonly name = 'trivial'
  readonly subscriptions = ['ExternalPrice'] as const
  delivered = 0
  start(context: DriverContext): void {
    for (const input of inputs) {
      input.seq = -1
      context.schedule(input, input.t)
    }
  }
  onEvent(): void {
    this.delivered++
  }
}

describe(`bare loop, trivial inputs [events=${EVENTS}]`, () => {
  bench('simulation loop: scheduler + apply + dispatch', () => {
    const driver = new TrivialDriver()
    const result = new Simulation(new Venue(craftedVenueConfig()), [driver], { endMs: EVENTS, checkpointEvery: 1e12 }).run()
    expect(driver.delivered).toBe(EVENTS)
    expect(result.events).toBe(EVENTS)
  }, { time: 1500 })

  bench('baseline: scheduler push + pop only', () => {
    const scheduler = new Scheduler<ExternalPrice>(4096)
    for (const input of inputs) scheduler.push(input.t, input)
    let sum = 0
    while (scheduler.size > 0) sum += scheduler.pop().priceTicks
    expect(sum).toBeGreaterThan(0)
  }, { time: 1500 })
})

const scenario = { ...defaultScenario(), durationMs: 12 * 60_000 } // through the shock at minute 10
const eventsPerRun = (() => {
  const world = buildWorld(scenario, 7)
  return new Simulation(world.venue, world.drivers, { endMs: scenario.durationMs, checkpointEvery: 10_000 }).run().events
})()
const scratch = mkdtempSync(join(tmpdir(), 'cascadelab-bench-'))

describe(`default scenario, 12 simulated minutes [events=${eventsPerRun}]`, () => {
  bench('loop with journal + summary', () => {
    const world = buildWorld(scenario, 7)
    const journal = new JournalSink(join(scratch, 'journal.msgpack'), {
      kind: 'Header', format: 'cascadelab-journal', formatVersion: JOURNAL_FORMAT_VERSION, packageVersion: 'bench',
      seed: 7, checkpointEvery: 10_000, venue: world.venueConfig, scenario,
    })
    const summary = new SummarySink(world.venueConfig)
    const result = new Simulation(world.venue, world.drivers, {
      endMs: scenario.durationMs, checkpointEvery: 10_000,
      sinks: [journal, summary],
    }).run()
    journal.finish(result.digest)
    expect(result.events).toBe(eventsPerRun)
  }, { time: 0, iterations: 5, warmupIterations: 1 })

  bench('baseline: loop only (no sinks)', () => {
    const world = buildWorld(scenario, 7)
    const result = new Simulation(world.venue, world.drivers, { endMs: scenario.durationMs, checkpointEvery: 10_000 }).run()
    expect(result.events).toBe(eventsPerRun)
  }, { time: 0, iterations: 5, warmupIterations: 1 })
})
