import { describe, expect, it } from 'vitest'
import type { VenueEvent } from '../../engine/events.js'
import { CascadeGenerations } from '../../analysis/cascade_generations.js'

const e = (seq: number, kind: string, cause: number) => ({ seq, kind, cause, t: 0 }) as unknown as VenueEvent

describe('CascadeGenerations', () => {
  it('numbers liquidations by the liquidations in their cause chain', () => {
    const g = new CascadeGenerations()
    // exogenous price → oracle → mark → liquidation (gen 0) → fill → external price impact →
    // oracle → mark → two liquidations (gen 1) → fill → … → liquidation (gen 2)
    const chain: [string, number, number][] = [
      ['ExternalPrice', -1, -1], ['OraclePrice', 0, -1], ['MarkPrice', 1, -1],
      ['Liquidation', 2, 0], ['Fill', 3, 0],
      ['ExternalPrice', 4, 0], ['OraclePrice', 5, 0], ['MarkPrice', 6, 0],
      ['Liquidation', 7, 1], ['Liquidation', 7, 1], ['Fill', 9, 1],
      ['ExternalPrice', 10, 1], ['OraclePrice', 11, 1], ['MarkPrice', 12, 1], ['Liquidation', 13, 2],
      ['MarkPrice', -1, -1], ['Liquidation', 15, 0],
    ]
    chain.forEach(([kind, cause, expected], seq) => {
      expect(g.add(e(seq, kind, cause)), `seq ${seq}`).toBe(expected)
    })
  })

  it('grows past its initial capacity', () => {
    const g = new CascadeGenerations()
    const far = 200_000
    expect(g.add(e(far - 1, 'Liquidation', -1))).toBe(0)
    expect(g.add(e(far, 'Fill', far - 1))).toBe(0)
    expect(g.behind(far)).toBe(0)
  })
})
