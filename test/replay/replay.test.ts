// Determinism and exact replay: same scenario + seed ⇒ byte-identical journal; replay re-derives
// every outcome and digest; a doctored journal is caught at the first differing seq.

import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { VenueEvent } from '../../engine/events.js'
import { JournalReader } from '../../engine/journal/journal_reader.js'
import { JournalWriter } from '../../engine/journal/journal_writer.js'
import type { JournalRecord } from '../../engine/journal/journal_format.js'
import { replayJournal } from '../../engine/replay.js'
import { runScenario } from '../../experiments/run_scenario.js'
import { smallScenario } from '../helpers/small_world.js'

const fresh = () => mkdtempSync(join(tmpdir(), 'cascadelab-replay-'))

async function runTo(seed: number) {
  const outDir = fresh()
  const report = await runScenario(smallScenario(), { outDir, seed })
  return { report, journal: join(outDir, 'journal.msgpack') }
}

/** Copies a journal, passing each record through `edit` (CRCs are recomputed: only replay can tell). */
function rewrite(source: string, edit: (record: JournalRecord) => JournalRecord): string {
  const reader = new JournalReader(source)
  const target = join(fresh(), 'doctored.msgpack')
  const writer = new JournalWriter(target, reader.header)
  for (const frame of reader.frames()) {
    const record = edit(frame.record)
    if (record.kind === 'End') writer.close(record)
    else writer.append(record)
  }
  return target
}

describe('determinism', () => {
  it('same scenario and seed give byte-identical journals and equal digests; another seed differs', async () => {
    const a = await runTo(11)
    const b = await runTo(11)
    const c = await runTo(12)
    expect(readFileSync(a.journal).equals(readFileSync(b.journal))).toBe(true)
    expect(a.report.journal.finalStateDigest).toBe(b.report.journal.finalStateDigest)
    expect(a.report.journal.sha256).toBe(b.report.journal.sha256)
    expect(readFileSync(a.journal).equals(readFileSync(c.journal))).toBe(false)
    expect(a.report.journal.finalStateDigest).not.toBe(c.report.journal.finalStateDigest)
    // the small scenario really cascades, so the comparison covers liquidation paths
    expect(a.report.liquidations.count).toBeGreaterThan(0)
  })
})

describe('replay --verify', () => {
  it('reproduces every outcome and checkpoint digest of a run', async () => {
    const { report, journal } = await runTo(5)
    const result = replayJournal(new JournalReader(journal), true)
    expect(result.mismatch).toBeNull()
    expect(result.checkpoints).toBeGreaterThan(3)
    expect(result.digest).toBe(report.journal.finalStateDigest)
    expect(result.inputs + result.outcomes).toBe(report.events)
    expect(result.inputs).toBe(report.run.inputs)
  })

  it('re-derives liquidation wake-ups, liquidator bids, auctions, ADL and socialised losses from the journal\'s inputs', async () => {
    for (const deficit of ['adl', 'socialized'] as const) {
      const outDir = fresh()
      const scenario = smallScenario({
        venue: { insuranceFund: 500, instruments: [{ symbol: 'BTC-PERP', liquidationPenaltyRate: 0.004 }] },
        marketMakers: { count: 1, lotsPerLevel: 5, levels: 5 }, // a thin book: remainders go to auctions
        price: { shocks: [{ atMs: 30_000, drop: 0.15, durationMs: 5_000 }] },
        liquidation: { stepIntervalMs: 700, stepShareMax: 0.5, deficit },
        liquidators: { count: 2, capital: 20_000, unwindIntervalMs: 1000 },
      })
      const report = await runScenario(scenario, { outDir, seed: 4 })
      const kinds = ['LiquidationWake', 'LiquidatorBid', 'LiquidatorTakeover', 'LiquidationDeferred', deficit === 'adl' ? 'AutoDeleverage' : 'SocializedLoss']
      for (const kind of kinds) {
        expect(report.eventsByKind[kind], kind).toBeGreaterThan(0)
      }
      expect(report.liquidations.partialSteps).toBeGreaterThan(0)
      const result = replayJournal(new JournalReader(join(outDir, 'journal.msgpack')), true)
      expect(result.mismatch).toBeNull()
      expect(result.digest).toBe(report.journal.finalStateDigest)
    }
  })

  it('names the seq of a doctored outcome', async () => {
    const { journal } = await runTo(5)
    let target = -1
    const doctored = rewrite(journal, (record) => {
      if (target === -1 && record.kind === 'Fill' && record.liquidation) {
        target = record.seq
        return { ...record, priceTicks: record.priceTicks + 1 }
      }
      return record
    })
    expect(target).toBeGreaterThan(0)
    const result = replayJournal(new JournalReader(doctored), true)
    expect(result.mismatch?.seq).toBe(target)
    expect(result.mismatch?.detail).toBe('outcome differs')
  })

  it('catches a doctored input by the outcomes or digest that follow it', async () => {
    const { journal } = await runTo(5)
    let target = -1
    const doctored = rewrite(journal, (record) => {
      if (target === -1 && record.kind === 'Deposit' && record.seq > 10) {
        target = record.seq
        return { ...record, amount: record.amount + 1 }
      }
      return record
    })
    const result = replayJournal(new JournalReader(doctored), true)
    expect(result.mismatch).not.toBeNull()
    expect(result.mismatch!.seq).toBeGreaterThanOrEqual(target)
  })

  it('catches an outcome deleted from the journal', async () => {
    const { journal } = await runTo(5)
    let removed: VenueEvent | null = null
    const reader = new JournalReader(journal)
    const target = join(fresh(), 'missing.msgpack')
    const writer = new JournalWriter(target, reader.header)
    for (const frame of reader.frames()) {
      const record = frame.record
      if (removed === null && record.kind === 'Liquidation') {
        removed = record
        continue
      }
      if (record.kind === 'End') writer.close(record)
      else writer.append(record)
    }
    const result = replayJournal(new JournalReader(target), true)
    expect(result.mismatch?.seq).toBe(removed!.seq)
  })
})
