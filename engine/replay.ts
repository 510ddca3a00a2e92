// Exact replay: rebuild the venue from the journal header, re-apply every recorded input with
// no agents, and check that the venue re-derives every recorded outcome byte for byte and every
// checkpoint digest. The first difference is reported with its seq.

import { Encoder } from '@msgpack/msgpack'
import { isInput, type InputEvent, type OutcomeEvent, type VenueEvent } from './events.js'
import type { JournalReader } from './journal/journal_reader.js'
import type { JournalRecord } from './journal/journal_format.js'
import type { RiskEvaluator } from './risk/risk_evaluator.js'
import { stateDigest } from './state_digest.js'
import { Venue } from './venue.js'

export interface ReplayMismatch {
  seq: number
  detail: string
  expected: unknown
  actual: unknown
}

export interface ReplayResult {
  inputs: number
  outcomes: number
  checkpoints: number
  lastSeq: number
  digest: string
  mismatch: ReplayMismatch | null
}

/**
 * Re-applies a journal's inputs; with `verify`, compares outcomes and digests and stops at the
 * first mismatch. `evaluator` does the full margin scans (default: sequential; never changes results).
 */
export function replayJournal(reader: JournalReader, verify = true, evaluator: RiskEvaluator | null = null): ReplayResult {
  const venue = new Venue(reader.header.venue)
  if (evaluator) venue.useRiskEvaluator(evaluator)
  const encoder = new Encoder()
  const result: ReplayResult = { inputs: 0, outcomes: 0, checkpoints: 0, lastSeq: -1, digest: '', mismatch: null }
  let pending: readonly OutcomeEvent[] = []
  let next = 0
  const fail = (seq: number, detail: string, expected: unknown, actual: unknown): ReplayResult => {
    result.mismatch = { seq, detail, expected, actual }
    return result
  }
  for (const frame of reader.frames()) {
    const record: JournalRecord = frame.record
    if (record.kind === 'Checkpoint' || record.kind === 'End') {
      if (verify && next < pending.length) {
        const extra = pending[next] as OutcomeEvent
        return fail(extra.seq, 'replay produced an outcome the journal lacks', null, extra)
      }
      const digest = stateDigest(venue)
      const seq = record.kind === 'End' ? record.lastSeq : record.seq
      if (verify && (digest !== record.digest || venue.nextSeq - 1 !== seq)) {
        return fail(seq, `state digest differs at ${record.kind.toLowerCase()}`, record.digest, digest)
      }
      if (record.kind === 'Checkpoint') result.checkpoints++
      result.digest = digest
      continue
    }
    const event = record as VenueEvent
    if (isInput(event)) {
      if (verify && next < pending.length) {
        const extra = pending[next] as OutcomeEvent
        return fail(extra.seq, 'replay produced an outcome the journal lacks', null, extra)
      }
      if (event.seq !== venue.nextSeq) return fail(venue.nextSeq, 'journal skips or repeats a seq', venue.nextSeq, event.seq)
      venue.apply(event as InputEvent)
      result.inputs++
      pending = venue.outbox.slice()
      next = 0
    } else {
      result.outcomes++
      if (!verify) continue
      const produced = pending[next++]
      if (produced === undefined) return fail(event.seq, 'journal has an outcome replay did not produce', event, null)
      if (produced.seq !== event.seq) {
        return fail(Math.min(produced.seq, event.seq), 'journal and replay disagree on the outcome at this seq', event, produced)
      }
      const bytes = encoder.encodeSharedRef(produced)
      if (!equalBytes(bytes, frame.payload)) return fail(event.seq, 'outcome differs', event, produced)
    }
    result.lastSeq = event.seq
  }
  return result
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
