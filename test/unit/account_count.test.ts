// The account count a run sizes its risk evaluation by (world.accountCount: it picks sequential or
// pooled scans before any account is opened) must count every account the world opens — the
// classic sections, the `agents:` entries and each `populations:` entry with its counterparty.

import { describe, expect, it } from 'vitest'
import { Simulation } from '../../engine/simulation.js'
import { buildWorld } from '../../experiments/world.js'
import { smallScenario } from '../helpers/small_world.js'

describe('world.accountCount', () => {
  it('equals the accounts the venue has opened once setup ran, with agents and populations entries', () => {
    const scenario = smallScenario({
      liquidators: { count: 2 },
      agents: [{ type: 'trend_follower', count: 3 }, { type: 'value_trader', count: 2 }],
      populations: [{ count: 40 }, { count: 25, marginMode: 'isolated' }],
    })
    const world = buildWorld(scenario, 5)
    new Simulation(world.venue, world.drivers, { endMs: 1, checkpointEvery: 1e9, sinks: [] }).run()
    expect(world.accounts.agents.flat().length).toBe(5)
    expect(world.accounts.populations.length).toBe(2)
    expect(world.accountCount).toBe(world.venue.accounts.count)
  })
})
