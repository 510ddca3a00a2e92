// RiskEvaluator: the kernel agrees exactly with the margin model, and the sequential and pooled
// evaluators give bit-identical results (unhealthy accounts in account order, health, bands) on
// random account sets with tiers, 1–4 instruments and collateral assets and on a book of many
// chunks, before and after the store grows; a worker's failure fails the scan with the worker's message; close() ends the
// threads.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { AccountRiskScratch, BAND_NONE, accountRisk } from '../../engine/risk/account_risk.js'
import { PooledRiskEvaluator } from '../../engine/risk/pooled_risk_evaluator.js'
import { CHUNK_ACCOUNTS_MIN } from '../../engine/risk/risk_protocol.js'
import { riskColumns } from '../../engine/risk/risk_columns.js'
import { RISK_POOL_CROSSOVER_ACCOUNTS, riskThreadsFor, SequentialRiskEvaluator, type RiskScan } from '../../engine/risk/risk_evaluator.js'
import { sharedFloat64 } from '../../engine/shared_columns.js'
import { riskBook } from '../helpers/risk_book.js'

function sameBytes(a: Int32Array | Float64Array, b: Int32Array | Float64Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))
}

/** The scan's valid part as plain arrays (copied: the evaluator reuses its buffers). */
function copy(scan: RiskScan) {
  return { accounts: Array.from(scan.accounts.subarray(0, scan.count)), health: Array.from(scan.health.subarray(0, scan.count)) }
}

describe('risk kernel', () => {
  it('matches MarginModel.isLiquidatable and health exactly, account by account', () => {
    const { store, model } = riskBook(3000, 11)
    const columns = riskColumns(store, model)
    const scratch = new AccountRiskScratch()
    const scan = copy(new SequentialRiskEvaluator().evaluate(columns, store.count, null))
    const expected: number[] = []
    for (let a = 0; a < store.count; a++) {
      expect(accountRisk(columns, a, scratch)).toBe(model.isLiquidatable(store, a))
      if (model.isLiquidatable(store, a)) expected.push(a)
    }
    expect(scan.accounts).toEqual(expected)
    scan.accounts.forEach((a, k) => {
      expect(scan.health[k]).toBe(model.maintenanceMargin(store, a) === 0 ? -Infinity : model.health(store, a))
    })
    // the book has both kinds, or the comparison proves little
    expect(expected.length).toBeGreaterThan(30)
    expect(expected.length).toBeLessThan(2900)
  })
})

describe('safe band', () => {
  it('is none for a position without a mark yet, infinite for a flat account, and shrinks with leverage', () => {
    const { store, model } = riskBook(0, 1)
    const columns = () => riskColumns(store, model)
    const scratch = new AccountRiskScratch()
    const flat = store.open() // a liquidated account left with nothing
    const low = store.open()
    const high = store.open()
    const cpt = model.cashPerTickLot[0] as number
    store.trade(low, 0, 10, 600_000, cpt)
    store.addCash(low, 10 * 600_000 * cpt) // 1x
    store.trade(high, 0, 10, 600_000, cpt)
    store.addCash(high, 10 * 600_000 * cpt / 20) // 20x
    expect(accountRisk(columns(), flat, scratch)).toBe(false)
    expect(scratch.band[0]).toBe(Infinity)
    expect(accountRisk(columns(), low, scratch)).toBe(false)
    const lowBand = scratch.band[0]!
    expect(accountRisk(columns(), high, scratch)).toBe(false)
    const highBand = scratch.band[0]!
    // a 1x long: the band budgets the tiers' highest maintenance rate (50% on binance-usdm BTC), so ~(1 − mmr) / 1.5
    expect(lowBand).toBeGreaterThan(0.6)
    expect(highBand).toBeGreaterThan(0)
    expect(highBand).toBeLessThan(0.05) // 20x: 5% of equity, less the maintenance margin
    model.markTicks[0] = 0
    expect(accountRisk(columns(), low, scratch)).toBe(false)
    expect(scratch.band[0]).toBe(BAND_NONE)
  })
})

describe('sequential and pooled risk evaluators', () => {
  let pool2: PooledRiskEvaluator
  let pool3: PooledRiskEvaluator
  beforeAll(async () => {
    ;[pool2, pool3] = await Promise.all([PooledRiskEvaluator.start(2), PooledRiskEvaluator.start(3)])
  })
  afterAll(async () => {
    await pool2?.close()
    await pool3?.close()
  })

  it('agree bit for bit on random account sets', () => {
    const sequential = new SequentialRiskEvaluator()
    fc.assert(fc.property(fc.integer({ min: 0, max: 4000 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 200 }), fc.nat(1e6), (n, positions, leverageMax, seed) => {
      const { store, model } = riskBook(n, seed, positions, leverageMax)
      const columns = riskColumns(store, model)
      const bands = [sharedFloat64(n), sharedFloat64(n), sharedFloat64(n)]
      const expected = copy(sequential.evaluate(columns, n, bands[0]!))
      for (const [k, pool] of [pool2, pool3].entries()) {
        const got = copy(pool.evaluate(columns, n, bands[k + 1]!))
        expect(got.accounts).toEqual(expected.accounts)
        expect(new Uint8Array(new Float64Array(got.health).buffer)).toEqual(new Uint8Array(new Float64Array(expected.health).buffer))
        expect(new Uint8Array(bands[k + 1]!.buffer)).toEqual(new Uint8Array(bands[0]!.buffer))
      }
      for (let k = 1; k < expected.accounts.length; k++) expect(expected.accounts[k]!).toBeGreaterThan(expected.accounts[k - 1]!)
    }), { numRuns: 25, seed: 7 })
  })

  it('agree on a book of many chunks, whichever worker claims which (results merged in account order)', () => {
    const n = 9 * CHUNK_ACCOUNTS_MIN + 123 // 10 chunks for 2 workers, 10 for 3
    const { store, model } = riskBook(n, 21)
    const columns = riskColumns(store, model)
    const bands = [sharedFloat64(n), sharedFloat64(n), sharedFloat64(n)]
    const expected = copy(new SequentialRiskEvaluator().evaluate(columns, n, bands[0]!))
    expect(expected.accounts.length).toBeGreaterThan(1000)
    for (let round = 0; round < 3; round++) {
      for (const [k, pool] of [pool2, pool3].entries()) {
        const got = pool.evaluate(columns, n, bands[k + 1]!)
        expect(got.count).toBe(expected.accounts.length)
        // byte comparisons (a deep equality over 600 kB of bands takes seconds)
        expect(sameBytes(got.accounts.subarray(0, got.count), Int32Array.from(expected.accounts))).toBe(true)
        expect(sameBytes(got.health.subarray(0, got.count), Float64Array.from(expected.health))).toBe(true)
        expect(sameBytes(bands[k + 1]!, bands[0]!)).toBe(true)
      }
    }
  })

  it('follows the store when it grows (new shared buffers) and when prices move', () => {
    const { store, model } = riskBook(1000, 5)
    const sequential = new SequentialRiskEvaluator()
    const before = copy(pool2.evaluate(riskColumns(store, model), store.count, null))
    expect(before).toEqual(copy(sequential.evaluate(riskColumns(store, model), store.count, null)))
    const buffer = store.cash.buffer
    for (let k = 0; k < 1500; k++) {
      const a = store.open()
      store.cash[a] = 1000
      store.trade(a, 1, k % 2 === 0 ? 40 : -40, 300_000, model.cashPerTickLot[1] as number)
    }
    expect(store.cash.buffer).not.toBe(buffer)
    model.markTicks[1] = 290_000
    const columns = riskColumns(store, model)
    const after = copy(pool2.evaluate(columns, store.count, null))
    expect(after).toEqual(copy(sequential.evaluate(columns, store.count, null)))
    expect(after.accounts.some((a) => a >= 1000)).toBe(true)
  })

  it('reports a worker failure with the worker\'s message', () => {
    const { store, model } = riskBook(100, 1)
    const columns = riskColumns(store, model)
    expect(() => pool2.evaluate(columns, store.capacity + 10, null)).toThrow(/risk pool: worker \d failed: risk scan: accounts up to 110/)
    // and the pool still serves afterwards
    expect(copy(pool2.evaluate(columns, 100, null))).toEqual(copy(new SequentialRiskEvaluator().evaluate(columns, 100, null)))
  })

  it('close() stops the workers; evaluate afterwards fails', async () => {
    const pool = await PooledRiskEvaluator.start(2)
    const { store, model } = riskBook(10, 1)
    pool.evaluate(riskColumns(store, model), 10, null)
    await pool.close()
    expect(() => pool.evaluate(riskColumns(store, model), 10, null)).toThrow(/after close/)
  })

  it('reports a worker thread that died: the scan fails after its timeout, close() rejects', async () => {
    const pool = await PooledRiskEvaluator.start(2, { timeoutMs: 300 })
    const { store, model } = riskBook(100, 1)
    const columns = riskColumns(store, model)
    pool.evaluate(columns, 100, null)
    const threads = (pool as unknown as { pool: { threads: { terminate(): Promise<number> }[] } }).pool.threads
    await threads[0]!.terminate()
    expect(() => pool.evaluate(columns, 100, null)).toThrow(/risk pool: worker \d did not answer within 300 ms/)
    await expect(pool.close()).rejects.toThrow()
  })

  it('picks the pool above the crossover unless told', () => {
    expect(riskThreadsFor(RISK_POOL_CROSSOVER_ACCOUNTS - 1, undefined, 2)).toBe(1)
    expect(riskThreadsFor(RISK_POOL_CROSSOVER_ACCOUNTS, undefined, 2)).toBe(2)
    expect(riskThreadsFor(RISK_POOL_CROSSOVER_ACCOUNTS, undefined, 1)).toBe(1)
    expect(riskThreadsFor(10, 3, 2)).toBe(3)
  })
})
