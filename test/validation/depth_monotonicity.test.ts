// Depth monotonicity (docs/VALIDATION.md): with everything else fixed, a thinner book makes a
// bigger cascade. Kyle (1985): impact λ ∝ 1/depth, and the cascade's amplification 1/(1 − λq)
// grows with λ. On the default world, seed by seed, a book of 100 lots per level must give a
// larger mark drawdown and more liquidated notional than one of 900 (the full experiment, five
// depths × ten seeds with intervals, is experiments/sweeps/depth-monotonicity.yaml).

import { describe, expect, it } from 'vitest'
import { buildWorld } from '../../experiments/world.js'
import { parseScenario } from '../../experiments/scenario.js'
import { Simulation } from '../../engine/simulation.js'
import { SummarySink } from '../../analysis/run_analysis.js'

/**
 * Amplification and total liquidated notional (quote currency) of the default world with
 * `lotsPerLevel`, over its full 30 minutes: a thin book's cascade is slower (what it could not
 * absorb goes to the backstop, which unwinds it over the next minutes), so a cut run would
 * compare a thin cascade still under way with a thick one that has ended.
 */
function cascade(lotsPerLevel: number, seed: number) {
  const scenario = parseScenario({ marketMakers: { lotsPerLevel } }, 'depth test')
  const world = buildWorld(scenario, seed)
  const summary = new SummarySink(world.venueConfig)
  new Simulation(world.venue, world.drivers, {
    endMs: scenario.durationMs, checkpointEvery: 1_000_000, sinks: [summary],
  }).run()
  const s = summary.finish()
  return { amplification: s.price.amplification ?? 0, notional: s.liquidations.notional }
}

describe('depth monotonicity', () => {
  it('a thinner book gives a larger amplification and liquidated notional, seed by seed', () => {
    for (const seed of [1, 2, 3]) {
      const thin = cascade(100, seed)
      const thick = cascade(900, seed)
      expect(thin.amplification, `seed ${seed}`).toBeGreaterThan(thick.amplification)
      expect(thin.notional, `seed ${seed}`).toBeGreaterThan(thick.notional)
    }
  })
})
