// `cascadelab inspect --cascade` as a user meets it: the generation table matches summary.json,
// the chain behind one account runs from an exogenous root to that account's first step, and a
// bad account is a one-line user error. Runs the built bin (npm test builds).

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { JournalReader } from '../../engine/journal/journal_reader.js'
import { CascadeTree } from '../../analysis/cascade_tree.js'
import { cli } from '../helpers/cli.js'


const dir = mkdtempSync(join(tmpdir(), 'cascadelab-cascade-'))
const scenarioFile = join(dir, 'cascade.yaml')
writeFileSync(scenarioFile, `
name: cli-cascade
durationMs: 60000
venue: { instruments: [{ symbol: BTC-PERP, liquidationPenaltyRate: 0.004 }] }
price:
  shocks: [{ atMs: 20000, drop: 0.1, durationMs: 4000 }]
  impactTicksPerLot: 1
marketMakers: { count: 2, levels: 10, lotsPerLevel: 50 }
noiseTraders: { count: 1 }
population: { pairs: 40, lotsMax: 100, leverageMax: 30 }
`)

describe('inspect --cascade', () => {
  const out = join(dir, 'run')
  const journal = join(out, 'journal.msgpack')

  it('prints the generations, and the same table as summary.json with --json', () => {
    expect(cli('run', scenarioFile, '--seed', '2', '--out', out, '--quiet').code).toBe(0)
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))
    expect(summary.liquidations.generations).toBeGreaterThan(2) // a real cascade: the chain below crosses generations
    const text = cli('inspect', journal, '--cascade')
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(new RegExp(`^cascade tree: ${summary.liquidations.count} liquidation steps in ${summary.liquidations.generations} generations`))
    expect(text.stdout).toMatch(/gen\s+steps\s+accounts\s+notional\s+book\s+liquidators\s+backstop\s+ADL/)
    const json = JSON.parse(cli('inspect', journal, '--cascade', '--json').stdout)
    expect(json.generations).toEqual(summary.liquidations.byGeneration)
    expect(json.roots).toBe(summary.liquidations.roots)
  })

  it('prints the chain behind one account, from an exogenous root to its first step', () => {
    const reader = new JournalReader(journal)
    const tree = new CascadeTree(reader.header.venue)
    for (const frame of reader.frames()) if (frame.record.kind !== 'Checkpoint' && frame.record.kind !== 'End') tree.add(frame.record)
    // the deepest step that is its account's first (the chain printed is behind the first step)
    const firsts = tree.steps.filter((step) => tree.stepsOf(step.account)[0] === step)
    const deepest = firsts.reduce((a, b) => (b.generation > a.generation ? b : a))
    expect(deepest.generation).toBeGreaterThan(0)
    const r = cli('inspect', journal, '--account', String(deepest.account))
    expect(r.code).toBe(0)
    const chain = r.stdout.split('\n').filter((line) => line.startsWith('  seq '))
    expect(chain.length).toBe(tree.chain(deepest.seq).length)
    expect(chain[0]).toMatch(/ExternalPrice|OraclePrice/)
    expect(chain.at(-1)).toMatch(new RegExp(`Liquidation\\s+account=${deepest.account} .*\\[generation ${deepest.generation}\\]`))
    expect(chain.filter((line) => /\sLiquidation\s/.test(line))).toHaveLength(deepest.generation + 1)
  })

  it('an account with no liquidation is a one-line user error (exit 2)', () => {
    const r = cli('inspect', journal, '--cascade', '--account', '999999')
    expect(r.code).toBe(2)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/account 999999 has no liquidation step/)
    expect(cli('inspect', journal, '--account', '-3').code).toBe(2)
  })
})
