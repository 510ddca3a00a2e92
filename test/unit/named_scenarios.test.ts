// The scenarios shipped in experiments/scenarios/: each validates, is named after its file, and
// the default demo file adds nothing to the embedded defaults (they are written in one place).

import { describe, expect, it } from 'vitest'
import { namedScenarioFile, namedScenarios, resolveScenario } from '../../experiments/named_scenarios.js'
import { defaultScenario } from '../../experiments/scenario.js'

describe('named scenarios', () => {
  it('ship at least the default demo, a thin-book flash crash and an oracle-lag cascade', () => {
    expect(namedScenarios()).toEqual(expect.arrayContaining(['default', 'thin-book-flash-crash', 'oracle-lag-cascade']))
  })

  it('each validates and carries its file name as its name', () => {
    for (const name of namedScenarios()) expect(resolveScenario(name).name).toBe(name)
  })

  it('the default file equals the embedded default scenario', () => {
    expect(resolveScenario('default')).toEqual(defaultScenario())
  })

  it('names are not paths', () => {
    expect(namedScenarioFile('../package')).toBeNull()
    expect(namedScenarioFile('no-such-scenario')).toBeNull()
    expect(() => resolveScenario('no-such-scenario')).toThrow(/no-such-scenario: no such scenario file or named scenario \(named: .*default/)
  })
})
