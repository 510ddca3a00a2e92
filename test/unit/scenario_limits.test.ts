// A scenario whose money cannot stay exact (integer cash units in doubles, 2^53) or whose sizes
// cannot fit in memory is refused before anything runs, on one line naming the field, the value
// and the limit — not discovered by --check at the end, nor by an out-of-memory abort.

import { describe, expect, it } from 'vitest'
import { UserError } from '../../experiments/errors.js'
import { parseScenario } from '../../experiments/scenario.js'
import { CASH_UNITS_MAX } from '../../experiments/scenario_limits.js'
import { buildWorld } from '../../experiments/world.js'

const build = (raw: Record<string, unknown>) => () => buildWorld(parseScenario({ name: 'x', ...raw }, 'test'), 1)

describe('scenario limits', () => {
  it('money: deposits and notional must stay below 2^53/64 cash units', () => {
    expect(CASH_UNITS_MAX).toBe(2 ** 47)
    expect(build({ venue: { insuranceFund: 1e13 } })).toThrow(UserError)
    expect(build({ venue: { insuranceFund: 1e13 } })).toThrow(/venue\.insuranceFund: the run would hold 1\.00e\+13 .* 1\.00e\+16 cash units at venue\.cashUnit 0\.001; money stays exact only below 1\.41e\+14/)
    expect(build({ venue: { insuranceFund: 1e308 } })).toThrow(/venue\.insuranceFund: .*Infinity cash units/)
    expect(build({ venue: { cashUnit: 1e-9 } })).toThrow(/venue\.cashUnit 1e-9/)
    expect(build({ venue: { cashUnit: 1e-30 } })).toThrow(UserError)
    // the default world is far inside (a sanity check that the bound is not too tight)
    expect(build({})).not.toThrow()
  })

  it('sizes: accounts and ladder levels, with the memory they would need', () => {
    expect(build({ population: { pairs: 1e9 } })).toThrow(/population\.pairs: 2,000,000,000 accounts would need about 3000 GB .*at most 10,000,000/)
    expect(build({ agents: [{ type: 'noise_trader', count: 1e8 }] })).toThrow(/agents\.0\.count: 100,000,000 accounts .*at most 100,000/)
    expect(build({ marketMakers: { levels: 1e8 } })).toThrow(/marketMakers\.levels: 100000000 levels per side; at most 10,000/)
  })
})
