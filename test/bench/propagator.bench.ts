// The reference market's propagator (K = 30 exponentials, engine/market/propagator.ts) against
// the model it is to replace, ImpactState (one exponential and a permanent part,
// engine/market/impact_model.ts), on the same stream of trades: per call of trade + offsetAt.
// Each side's result (a sum of offsets) is checked against a first run, so both do the work.

import { bench, describe, expect } from 'vitest'
import { ImpactState, impactTicks, type ImpactModelConfig } from '../../engine/market/impact_model.js'
import { defaultPropagatorConfig, Propagator } from '../../engine/market/propagator.js'
import { Prng } from '../../engine/prng.js'

const CALLS = 100_000

/** Trades a few ms to a few seconds apart, signed lots in [−500, 500]; offsets read 0–999 ms after each. */
function tradeStream(n: number): { tMs: Float64Array; lots: Float64Array; probeMs: Float64Array } {
  const rng = new Prng(42, 'propagator-bench')
  const tMs = new Float64Array(n)
  const lots = new Float64Array(n)
  const probeMs = new Float64Array(n)
  let t = 0
  for (let k = 0; k < n; k++) {
    t += 1 + rng.int(3000)
    tMs[k] = t
    lots[k] = rng.int(1001) - 500
    probeMs[k] = t + rng.int(1000)
    t = probeMs[k] as number
  }
  return { tMs, lots, probeMs }
}
const stream = tradeStream(CALLS)

const linearTransient: ImpactModelConfig = {
  model: 'linear', ticksPerLot: defaultPropagatorConfig.transientTicksPerLot, y: 1, dailyVolatility: 0.03,
  dailyVolumeLots: 50_000_000, transientShare: 0.5, halfLifeMs: 60_000,
}

function runPropagator(): number {
  const propagator = new Propagator(defaultPropagatorConfig)
  let sum = 0
  for (let k = 0; k < CALLS; k++) {
    sum += propagator.trade(stream.tMs[k] as number, stream.lots[k] as number)
    sum += propagator.offsetAt(stream.probeMs[k] as number)
  }
  return sum
}

function runImpactState(): number {
  const state = new ImpactState(linearTransient)
  let sum = 0
  for (let k = 0; k < CALLS; k++) {
    const lots = stream.lots[k] as number
    const t = stream.tMs[k] as number
    sum += state.offsetAt(t) + (Math.sign(lots) * impactTicks(linearTransient, Math.abs(lots), 60_000)) / 2
    state.displace(t, Math.sign(lots) * impactTicks(linearTransient, Math.abs(lots), 60_000))
    sum += state.offsetAt(stream.probeMs[k] as number)
  }
  return sum
}

const expectedPropagator = runPropagator()
const expectedImpactState = runImpactState()
console.log(`propagator bench: offset sums ${expectedPropagator.toFixed(6)} (propagator), ${expectedImpactState.toFixed(6)} (ImpactState)`)

describe(`reference-market impact, trade + offsetAt per call [ops=${CALLS}]`, () => {
  bench('cascadelab Propagator (K = 30)', () => {
    expect(runPropagator()).toBe(expectedPropagator)
  }, { time: 1500 })

  bench('baseline: ImpactState displace + offsetAt', () => {
    expect(runImpactState()).toBe(expectedImpactState)
  }, { time: 1500 })
})
