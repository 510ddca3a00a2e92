// The market sections of a scenario through the CLI: a run on a recorded CSV path with an
// impact-model instrument, funding and an arbitrageur; bad paths and bad market fields fail on
// one line naming the file, line or field and the value (exit 2), leaving earlier outputs intact.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli, expectOneLineError } from '../helpers/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'cascadelab-markets-cli-'))



/** A falling recorded path: 60,000 → 54,000 over a minute, one row per second, with volume. */
const pathFile = join(dir, 'btc.csv')
writeFileSync(pathFile, ['timestamp,price,volume', ...Array.from({ length: 61 }, (_, k) => `${1_700_000_000_000 + k * 1000},${60_000 - 100 * k},${(k % 7) + 0.5}`)].join('\n') + '\n')

function scenario(file: string, csv = pathFile): string {
  const path = join(dir, file)
  writeFileSync(path, `
name: markets-cli
durationMs: 60000
price:
  path: { file: ${JSON.stringify(csv)} }
  shocks: []
markets:
  execution: linear
  impact: { ticksPerLot: 0.05 }
  markPrice: { method: impact_mid }
  funding: { intervalMs: 20000, sampleMs: 2000 }
noiseTraders: { count: 2 }
arbitrageurs: { count: 1 }
population: { pairs: 30, lotsMax: 100, leverageMax: 30 }
`)
  return path
}

describe('market scenarios on the command line', () => {
  const out = join(dir, 'run')

  it('runs a recorded path against an impact model with funding and an arbitrageur; replay verifies it', () => {
    const r = cli('run', scenario('good.yaml'), '--seed', '2', '--out', out, '--quiet')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))
    expect(summary.price.exogenousDrawdown).toBeCloseTo(0.1, 3) // the path's own 10% fall
    expect(summary.liquidations.count).toBeGreaterThan(0)
    expect(summary.eventsByKind.FundingRate).toBe(3)
    expect(cli('replay', join(out, 'journal.msgpack'), '--verify').code).toBe(0)
  })

  it('a bad CSV row fails with the file, line and value; outputs are left intact', () => {
    const before = readFileSync(join(out, 'summary.json'))
    const bad = join(dir, 'bad.csv')
    const run = (csv: string) => cli('run', scenario('bad-path.yaml', csv), '--out', out, '--quiet')
    writeFileSync(bad, 'timestamp,price\n0,60000\n1000,NaN\n')
    let r = run(bad)
    expect(r.code).toBe(2)
    expectOneLineError(r.stderr, /bad\.csv:3: price is not a number \(got "NaN"\)/)
    writeFileSync(bad, 'timestamp,price\n0,60000\n2000,60001\n1000,60002\n')
    r = run(bad)
    expect(r.code).toBe(2)
    expectOneLineError(r.stderr, /bad\.csv:4: timestamp "1000" is not after the previous line's/)
    writeFileSync(bad, 'timestamp,price\n0,60000\n1000,-3\n')
    r = run(bad)
    expect(r.code).toBe(2)
    expectOneLineError(r.stderr, /bad\.csv:3: price is negative \(got "-3"\)/)
    r = run(join(dir, 'missing.csv'))
    expect(r.code).toBe(2)
    expectOneLineError(r.stderr, /missing\.csv: cannot read price path for BTC \(ENOENT\)/)
    expect(readFileSync(join(out, 'summary.json')).equals(before)).toBe(true)
  })

  it('bad market fields name the field and value', () => {
    const runBad = (name: string, yaml: string) => {
      writeFileSync(join(dir, name), yaml)
      return cli('run', join(dir, name), '--out', join(dir, 'never'), '--quiet')
    }
    let r = runBad('f1.yaml', 'markets: { markPrice: { method: last_trade } }\n')
    expect(r.code).toBe(2)
    expectOneLineError(r.stderr, /f1\.yaml: markets\.markPrice\.method: .*\(got "last_trade"\)/)
    r = runBad('f2.yaml', 'markets: { byInstrument: { DOGE-PERP: { execution: linear } } }\n')
    expect(r.code).toBe(2)
    expectOneLineError(r.stderr, /f2\.yaml: markets\.byInstrument\.DOGE-PERP: not a listed instrument/)
    r = runBad('f3.yaml', 'markets: { execution: linear }\nmarketMakers: { instruments: [BTC-PERP] }\n')
    expect(r.code).toBe(2)
    expectOneLineError(r.stderr, /marketMakers\.instruments: "BTC-PERP" executes against an impact model/)
    r = runBad('f4.yaml', 'oracle: { sources: [] }\n')
    expect(r.code).toBe(2)
    expectOneLineError(r.stderr, /f4\.yaml: oracle\.sources: .*\(got \[\]\)/)
    r = runBad('f5.yaml', 'price: { byAsset: { DOGE: { impactTicksPerLot: 0.5 } } }\n')
    expect(r.code).toBe(2)
    expectOneLineError(r.stderr, /price\.byAsset\.DOGE: not a non-cash asset/)
    // the removed direct channel names its replacement; a manipulable impact model needs the explicit flag
    r = runBad('f6.yaml', 'price: { venueShare: 1 }\n')
    expect(r.code).toBe(2)
    expectOneLineError(r.stderr, /f6\.yaml: price\.venueShare: was removed: .*oracle\.venueShare/)
    r = runBad('f7.yaml', 'price: { impact: { model: square_root } }\n')
    expect(r.code).toBe(2)
    expectOneLineError(r.stderr, /price\.impact\.model: "square_root" is a permanent non-linear impact, which lets a round trip profit .*allowPriceManipulation/)
    r = runBad('f8.yaml', 'markets: { execution: square_root, impact: { model: square_root } }\n')
    expect(r.code).toBe(2)
    expectOneLineError(r.stderr, /markets\.execution: "square_root" is a permanent non-linear impact/)
  })
})
