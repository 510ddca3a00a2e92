import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { deposit, openAccount } from '../../engine/events.js'
import { JournalError, JOURNAL_FORMAT_VERSION, type JournalHeader } from '../../engine/journal/journal_format.js'
import { JournalReader } from '../../engine/journal/journal_reader.js'
import { JournalWriter } from '../../engine/journal/journal_writer.js'
import { craftedVenueConfig } from '../helpers/small_world.js'

const header: JournalHeader = {
  kind: 'Header', format: 'cascadelab-journal', formatVersion: JOURNAL_FORMAT_VERSION, packageVersion: 'test',
  seed: 1, checkpointEvery: 10, venue: craftedVenueConfig(), scenario: { name: 'unit' },
}

function writeJournal(events = 50): string {
  const path = join(mkdtempSync(join(tmpdir(), 'cascadelab-journal-')), 'journal.msgpack')
  const writer = new JournalWriter(path, header)
  for (let k = 0; k < events; k++) {
    const e = k % 2 === 0 ? openAccount(0, k / 2) : deposit(0, (k - 1) / 2, 1000 + k)
    e.seq = k
    writer.append(e)
    if (k % 10 === 9) writer.append({ kind: 'Checkpoint', seq: k, t: 0, digest: 'ab'.repeat(32) })
  }
  expect(existsSync(path)).toBe(false) // only the .partial exists until close
  writer.close({ kind: 'End', lastSeq: events - 1, events, digest: 'cd'.repeat(32) })
  return path
}

function readAll(path: string) {
  const reader = new JournalReader(path)
  return [...reader.frames()].map((f) => ({ offset: f.offset, record: f.record }))
}

function errorOf(fn: () => unknown): JournalError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(JournalError)
    return error as JournalError
  }
  throw new Error('expected a JournalError')
}

describe('journal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cascadelab-journal-'))

  it('round-trips header, events, checkpoints and the end frame', () => {
    const path = writeJournal()
    const reader = new JournalReader(path)
    expect(reader.header).toEqual(header)
    const records = [...reader.frames()].map((f) => f.record)
    expect(records).toHaveLength(50 + 5 + 1)
    expect(records[0]).toEqual({ ...openAccount(0, 0), seq: 0 })
    expect(records[10]).toEqual({ kind: 'Checkpoint', seq: 9, t: 0, digest: 'ab'.repeat(32) })
    expect(records.at(-1)).toMatchObject({ kind: 'End', lastSeq: 49, events: 50 })
  })

  it('reports a journal cut inside a frame with that frame\'s byte offset', () => {
    const path = writeJournal()
    const bytes = readFileSync(path)
    const frames = readAll(path)
    const last = frames.at(-1)!
    for (const cut of [1, 5, 9]) {
      const torn = join(dir, `torn-${cut}.msgpack`)
      writeFileSync(torn, bytes.subarray(0, bytes.length - cut))
      const error = errorOf(() => readAll(torn))
      expect(error.offset).toBe(last.offset)
      expect(error.message).toMatch(new RegExp(`truncated frame.*at byte offset ${last.offset}$`))
    }
  })

  it('reports a journal cut exactly at a frame boundary (no end frame)', () => {
    const path = writeJournal()
    const frames = readAll(path)
    const torn = join(dir, 'boundary.msgpack')
    writeFileSync(torn, readFileSync(path).subarray(0, frames.at(-1)!.offset))
    expect(errorOf(() => readAll(torn)).message).toMatch(/without an end frame/)
  })

  it('reports a flipped byte anywhere in the file with the offset of the damaged frame', () => {
    const path = writeJournal()
    const bytes = readFileSync(path)
    const frames = readAll(path)
    const offsets = [8, ...frames.map((f) => f.offset)] // header frame starts after the 8-byte magic
    for (const position of [0, 12, 200, Math.floor(bytes.length / 2), bytes.length - 3]) {
      const damaged = Buffer.from(bytes)
      damaged[position] = damaged[position]! ^ 0x40
      const file = join(dir, `flip-${position}.msgpack`)
      writeFileSync(file, damaged)
      const error = errorOf(() => readAll(file))
      if (position < 8) {
        expect(error.message).toMatch(/bad magic/)
        continue
      }
      const frameStart = offsets.filter((o) => o <= position).at(-1)!
      expect(error.offset).toBe(frameStart)
      expect(error.message).toMatch(/corrupt frame|truncated frame|implausible/)
    }
  })

  it('aborting a writer leaves no file behind and keeps an existing journal intact', () => {
    const path = writeJournal()
    const before = readFileSync(path)
    const writer = new JournalWriter(path, header)
    writer.append({ ...openAccount(0, 0), seq: 0 })
    writer.abort()
    expect(existsSync(`${path}.partial`)).toBe(false)
    expect(readFileSync(path).equals(before)).toBe(true)
  })
})
