// The CLI as a user meets it: exit codes, one-line errors that name the bad input, no stack
// traces for user mistakes, outputs left intact on failure. Runs the built bin (npm test builds).

import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BIN, cli, expectOneLineError } from '../helpers/cli.js'



const dir = mkdtempSync(join(tmpdir(), 'cascadelab-cli-'))
const scenarioFile = join(dir, 'small.yaml')
writeFileSync(scenarioFile, `
name: cli-small
durationMs: 60000
price:
  shocks: [{ atMs: 20000, drop: 0.1, durationMs: 2000 }]
  impactTicksPerLot: 0.2
marketMakers: { count: 2, levels: 10, lotsPerLevel: 50 }
noiseTraders: { count: 2 }
population: { pairs: 30, lotsMax: 100, leverageMax: 30 }
`)


describe('cascadelab CLI', () => {
  const out = join(dir, 'run')

  it('a reader that closes the pipe (`run | head`, here `run | true`) ends the output, not the run: exit 0, files written', () => {
    const piped = join(dir, 'piped')
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" run "${scenarioFile}" --seed 3 --out "${piped}" --quiet | true; exit \${PIPESTATUS[0]}`], { encoding: 'utf8' })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(existsSync(join(piped, 'summary.json'))).toBe(true)
  })

  it('run writes journal and summary, prints the summary', () => {
    const r = cli('run', scenarioFile, '--seed', '3', '--out', out, '--quiet')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/amplification/)
    expect(r.stdout).toMatch(/liquidations\s+\d+ steps/)
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))
    expect(summary).toMatchObject({ scenario: 'cli-small', seed: 3 })
    expect(summary.liquidations.count).toBeGreaterThan(0)
    expect(existsSync(join(out, 'journal.msgpack'))).toBe(true)
  })

  it('replay --verify passes on that journal', () => {
    const r = cli('replay', join(out, 'journal.msgpack'), '--verify')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/every outcome and digest matches/)
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))
    expect(r.stdout).toContain(summary.journal.finalStateDigest)
  })

  it('inspect re-derives the run summary from the journal alone', () => {
    const r = cli('inspect', join(out, 'journal.msgpack'), '--json')
    expect(r.code).toBe(0)
    const inspected = JSON.parse(r.stdout)
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))
    expect(inspected.summary.liquidations).toEqual(summary.liquidations)
    expect(inspected.summary.price).toEqual(summary.price)
  })

  it('a truncated journal fails with exit 3 and the byte offset, on one line', () => {
    const bytes = readFileSync(join(out, 'journal.msgpack'))
    const torn = join(dir, 'torn.msgpack')
    writeFileSync(torn, bytes.subarray(0, bytes.length - 5))
    const r = cli('replay', torn, '--verify')
    expect(r.code).toBe(3)
    expectOneLineError(r.stderr, /torn\.msgpack: truncated frame .* at byte offset \d+$/)
  })

  it('a flipped byte fails with exit 3 and the byte offset', () => {
    const bytes = Buffer.from(readFileSync(join(out, 'journal.msgpack')))
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff
    const flipped = join(dir, 'flipped.msgpack')
    writeFileSync(flipped, bytes)
    const r = cli('inspect', flipped)
    expect(r.code).toBe(3)
    expectOneLineError(r.stderr, /flipped\.msgpack: .*at byte offset \d+$/)
  })

  it('a malformed scenario fails with exit 2 naming the file, field and value, and leaves outputs intact', () => {
    const before = readFileSync(join(out, 'summary.json'))
    const bad = join(dir, 'bad.yaml')
    writeFileSync(bad, 'population:\n  pairs: -4\n')
    let r = cli('run', bad, '--out', out, '--quiet')
    expect(r.code).toBe(2)
    expectOneLineError(r.stderr, /bad\.yaml: population\.pairs: .*\(got -4\)/)
    writeFileSync(bad, 'marketMakers:\n  levles: 4\n')
    r = cli('run', bad, '--out', out, '--quiet')
    expect(r.code).toBe(2)
    expectOneLineError(r.stderr, /bad\.yaml: marketMakers: .*levles/)
    writeFileSync(bad, 'price: [unclosed\n')
    r = cli('run', bad, '--out', out, '--quiet')
    expect(r.code).toBe(2)
    expectOneLineError(r.stderr, /bad\.yaml: not valid YAML/)
    expect(readFileSync(join(out, 'summary.json')).equals(before)).toBe(true)
  })

  it('missing files and bad flags are user errors (exit 2)', () => {
    let r = cli('replay', join(dir, 'nope.msgpack'))
    expect(r.code).toBe(2)
    expectOneLineError(r.stderr, /nope\.msgpack: no such journal file/)
    r = cli('run', join(dir, 'nope.yaml'))
    expect(r.code).toBe(2)
    r = cli('run', '--seed', 'abc')
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/seed must be a non-negative integer/)
    r = cli('frobnicate')
    expect(r.code).toBe(2)
  })

  it('every command has --help', () => {
    for (const command of [[], ['run'], ['replay'], ['inspect'], ['export'], ['scenario'], ['margin'], ['sweep'], ['merge'], ['report'], ['reproduce']]) {
      const r = cli(...command, '--help')
      expect(r.code).toBe(0)
      expect(r.stdout).toMatch(/^Usage: cascadelab/)
    }
  })

  it('scenario --print-defaults prints a scenario that validates', () => {
    const r = cli('scenario', '--print-defaults')
    expect(r.code).toBe(0)
    const defaults = JSON.parse(r.stdout)
    expect(defaults.name).toBe('default')
    expect(defaults.venue.instruments[0].symbol).toBe('BTC-PERP')
    expect(defaults.venue.preset).toBe('generic')
  })

  it('runs a named scenario by name, lists the named scenarios and prints one resolved', () => {
    let r = cli('scenario', '--list')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^thin-book-flash-crash\s+thin book/m)
    r = cli('scenario', 'oracle-lag-cascade')
    expect(JSON.parse(r.stdout).oracle).toMatchObject({ latencyMs: 3000, heartbeatMs: 20000 })
    r = cli('run', 'no-such-scenario', '--quiet')
    expect(r.code).toBe(2)
    expectOneLineError(r.stderr, /no-such-scenario: no such scenario file or named scenario \(named: .*oracle-lag-cascade/)
  })
})
