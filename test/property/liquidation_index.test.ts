// The liquidation index finds exactly the accounts a full scan finds (below maintenance, or
// watched), after every change, on random scenarios:
//  1. random books (tiers, 1–4 instruments, BTC/ETH collateral) under random sequences of trades,
//     deposits, collateral moves, new accounts (the store grows), watched accounts and price
//     moves of marks and collateral prices — small, large, ×40 or ÷40 (past the index's key
//     range), to the tick past an account's liquidation price, one at a time or together — with
//     stores large enough to take the full-scan rebuild path too;
//  2. random small worlds run by the engine: after every event (inputs and outcomes, in the
//     middle of cascades) the index agrees with a full scan of the venue's accounts.

import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { liquidationPriceTicks } from '../../engine/margin/liquidation_price.js'
import { NO_EPISODE } from '../../engine/liquidation/liquidation_state.js'
import { LiquidationIndex } from '../../engine/risk/liquidation_index.js'
import { SequentialRiskEvaluator } from '../../engine/risk/risk_evaluator.js'
import { Simulation } from '../../engine/simulation.js'
import type { AccountStore } from '../../engine/margin/account_store.js'
import type { MarginModel } from '../../engine/margin/margin.js'
import { buildWorld } from '../../experiments/world.js'
import { riskBook } from '../helpers/risk_book.js'
import { smallScenario } from '../helpers/small_world.js'

/** Accounts a full scan finds: below maintenance, or watched. */
function fullScan(store: AccountStore, model: MarginModel, watch: (a: number) => boolean): number[] {
  const found: number[] = []
  for (let a = 0; a < store.count; a++) if (model.isLiquidatable(store, a) || watch(a)) found.push(a)
  return found
}

const op = fc.oneof(
  fc.record({ kind: fc.constant('price' as const), factor: fc.nat(5), move: fc.double({ min: -0.3, max: 0.3, noNaN: true }) }),
  fc.record({ kind: fc.constant('shock' as const), move: fc.double({ min: -0.2, max: 0.2, noNaN: true }) }),
  // a factor leaps ×40 or ÷40: thresholds and prices past the index's 16x key range share its last bucket
  fc.record({ kind: fc.constant('leap' as const), factor: fc.nat(5), up: fc.boolean() }),
  fc.record({ kind: fc.constant('trade' as const), a: fc.nat(), b: fc.nat(), instrument: fc.nat(3), lots: fc.integer({ min: 1, max: 5000 }) }),
  fc.record({ kind: fc.constant('cash' as const), a: fc.nat(), amount: fc.integer({ min: -50_000, max: 50_000 }) }),
  fc.record({ kind: fc.constant('collateral' as const), a: fc.nat(), asset: fc.integer({ min: 1, max: 2 }), units: fc.integer({ min: -5_000_000, max: 5_000_000 }) }),
  fc.record({ kind: fc.constant('open' as const), n: fc.integer({ min: 1, max: 300 }) }),
  fc.record({ kind: fc.constant('watch' as const), a: fc.nat() }),
  // the mark moves to the tick just past an account's liquidation price: the band's edge case
  fc.record({ kind: fc.constant('edge' as const), a: fc.nat(), instrument: fc.nat(3) }),
  fc.record({ kind: fc.constant('edge' as const), a: fc.nat(), instrument: fc.nat(3) }),
)

describe('liquidation index (property)', () => {
  // The native re-banding loop and list scan where the addon is built, and the TypeScript ones: each must keep the index exact.
  it.each([true, false])('finds exactly the accounts a full scan finds, after every operation on random books (native: %s)', (native) => {
    fc.assert(fc.property(
      fc.constantFrom(40, 300, 300, 5000), fc.integer({ min: 1, max: 4 }), fc.nat(1e6), fc.array(op, { minLength: 1, maxLength: 40 }),
      (n, positions, seed, ops) => {
        const { store, model } = riskBook(n, seed, positions, 120)
        const index = new LiquidationIndex(store, model, new SequentialRiskEvaluator(), { native })
        const watched = new Set<number>()
        const watch = (a: number) => watched.has(a)
        const out: number[] = []
        index.collect(out, watch)
        expect(out).toEqual(fullScan(store, model, watch))
        for (const o of ops) {
          const pick = (x: number) => x % store.count
          switch (o.kind) {
            case 'price':
              if (o.factor < 4) model.markTicks[o.factor] = Math.max(1, Math.round((model.markTicks[o.factor] as number) * (1 + o.move)))
              else model.assetPriceTicks[o.factor - 3] = Math.max(1, Math.round((model.assetPriceTicks[o.factor - 3] as number) * (1 + o.move)))
              break
            case 'leap': {
              const prices = o.factor < 4 ? model.markTicks : model.assetPriceTicks
              const k = o.factor < 4 ? o.factor : o.factor - 3
              prices[k] = Math.max(1, Math.round((prices[k] as number) * (o.up ? 40 : 1 / 40)))
              break
            }
            case 'shock':
              for (let i = 0; i < 4; i++) model.markTicks[i] = Math.max(1, Math.round((model.markTicks[i] as number) * (1 + o.move)))
              for (let k = 1; k < 3; k++) model.assetPriceTicks[k] = Math.max(1, Math.round((model.assetPriceTicks[k] as number) * (1 + o.move)))
              break
            case 'trade': {
              const a = pick(o.a)
              const b = pick(o.b)
              if (a === b) break
              const price = model.markTicks[o.instrument] as number
              store.trade(a, o.instrument, o.lots, price, model.cashPerTickLot[o.instrument] as number)
              store.trade(b, o.instrument, -o.lots, price, model.cashPerTickLot[o.instrument] as number)
              break
            }
            case 'cash':
              store.addCash(pick(o.a), o.amount)
              break
            case 'collateral':
              store.credit(pick(o.a), o.asset, o.units)
              break
            case 'open':
              for (let k = 0; k < o.n; k++) {
                const a = store.open()
                store.addCash(a, 1000 + k)
                store.trade(a, k % 4, k % 2 === 0 ? 30 : -30, model.markTicks[k % 4] as number, model.cashPerTickLot[k % 4] as number)
              }
              break
            case 'edge': {
              // the first healthy account from a on, in the first instrument from o.instrument it holds
              for (let k = 0; k < store.count; k++) {
                const a = pick(o.a + k)
                if (model.isLiquidatable(store, a)) continue
                const i = [0, 1, 2, 3].map((d) => (o.instrument + d) % 4).find((x) => store.position(a, x) !== 0)
                if (i === undefined) continue
                const price = liquidationPriceTicks(model, store, a, i)
                if (!(price > 1)) continue
                model.markTicks[i] = store.position(a, i) > 0 ? Math.floor(price) : Math.ceil(price)
                break
              }
              break
            }
            case 'watch': {
              const a = pick(o.a)
              if (watched.has(a)) watched.delete(a)
              else watched.add(a)
              store.markChanged(a) // the engine's episodes start and end with a change or while watched
              break
            }
          }
          index.collect(out, watch)
          expect(out).toEqual(fullScan(store, model, watch))
        }
      }), { numRuns: 60, seed: 17 })
  })

  it('agrees with a full scan after every event of random engine runs', () => {
    fc.assert(fc.property(
      fc.record({
        seed: fc.integer({ min: 0, max: 2 ** 31 }),
        pairs: fc.integer({ min: 1, max: 40 }),
        leverageMax: fc.integer({ min: 2, max: 50 }),
        drop: fc.double({ min: -0.3, max: 0.4, noNaN: true }),
        shockDurationMs: fc.constantFrom(0, 1000, 5000),
        marginMode: fc.constantFrom('cross' as const, 'isolated' as const),
        btcCollateral: fc.constantFrom(0, 0.5),
        stepIntervalMs: fc.constantFrom(0, 3000),
        onEth: fc.boolean(), // two instruments, the population on the second
      }),
      (w) => {
        const scenario = smallScenario({
          durationMs: 60_000,
          price: { shocks: [{ atMs: 20_000, drop: w.drop, durationMs: w.shockDurationMs }] },
          population: {
            pairs: w.pairs, leverageMax: w.leverageMax, marginMode: w.marginMode,
            collateral: w.btcCollateral > 0 ? { BTC: w.btcCollateral } : {}, instrument: w.onEth ? 'ETH-PERP' : 'BTC-PERP',
          },
        })
        scenario.liquidation = { ...scenario.liquidation, stepIntervalMs: w.stepIntervalMs }
        if (w.onEth) scenario.venue.instruments = [{ symbol: 'BTC-PERP' }, { symbol: 'ETH-PERP' }]
        const world = buildWorld(scenario, w.seed)
        const venue = world.venue
        const out: number[] = []
        const watch = (a: number) => a < venue.liquidation.state.episodeCause.length && venue.liquidation.state.episodeCause[a] !== NO_EPISODE
        let checks = 0
        venue.afterEvent = () => {
          venue.liquidation.index.collect(out, watch)
          const expected = fullScan(venue.accounts, venue.margin, watch)
          if (out.length !== expected.length || out.some((a, k) => a !== expected[k])) expect(out).toEqual(expected)
          checks++
        }
        new Simulation(venue, world.drivers, { endMs: scenario.durationMs, checkpointEvery: 1e9 }).run()
        expect(checks).toBeGreaterThan(100)
      }), { numRuns: 12, seed: 5 })
  })
})
