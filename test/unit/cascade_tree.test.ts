// The cascade tree from a crafted event stream: parents, generations, follow-up steps as
// siblings, notional attributed by taker, the chain behind an account.

import { describe, expect, it } from 'vitest'
import type { VenueEvent } from '../../engine/events.js'
import { CascadeTree } from '../../analysis/cascade_tree.js'

const venue = { instruments: [{ cashPerTickLot: 2 }] } as never
const ev = (seq: number, kind: string, cause: number, fields: Record<string, unknown> = {}) =>
  ({ seq, kind, cause, t: seq * 10, ...fields }) as unknown as VenueEvent
const fill = (seq: number, cause: number, taker: number, lots: number) =>
  ev(seq, 'Fill', cause, { instrument: 0, taker, maker: 99, lots, priceTicks: 100, liquidation: true })

/**
 *  0 ExternalPrice → 1 OraclePrice → 2 MarkPrice → 3 Liquidation(a 10, gen 0) → 4 Fill 5 lots
 *    → 5 LiquidationAuction → 6 LiquidatorBid → 7 LiquidatorTakeover 3 lots
 *  4 → 8 ExternalPrice → 9 OraclePrice → 10 MarkPrice → 11 Liquidation(a 20, gen 1) → 12 BackstopTakeover 1
 *    → 13 AutoDeleverage 2 (account 30)
 *  14 LiquidationWake (cause 5) ; 15 Liquidation(a 10, follow-up, cause 2: sibling of 3)
 *  13 → 16 Liquidation(a 30, cause 13: knocked on by ADL, gen 2)
 */
function stream(): VenueEvent[] {
  return [
    ev(0, 'ExternalPrice', -1), ev(1, 'OraclePrice', 0), ev(2, 'MarkPrice', 1),
    ev(3, 'Liquidation', 2, { account: 10, mode: 'partial' }), fill(4, 3, 10, 5),
    ev(5, 'LiquidationAuction', 3), ev(6, 'LiquidatorBid', 5),
    ev(7, 'LiquidatorTakeover', 6, { instrument: 0, lots: 3, priceTicks: 100 }),
    ev(8, 'ExternalPrice', 4), ev(9, 'OraclePrice', 8), ev(10, 'MarkPrice', 9),
    ev(11, 'Liquidation', 10, { account: 20, mode: 'full' }),
    ev(12, 'BackstopTakeover', 11, { instrument: 0, lots: 1, priceTicks: 100 }),
    ev(13, 'AutoDeleverage', 11, { account: 30, instrument: 0, lots: 2, priceTicks: 110 }),
    ev(14, 'LiquidationWake', 5), ev(15, 'Liquidation', 2, { account: 10, mode: 'partial' }),
    ev(16, 'Liquidation', 13, { account: 30, mode: 'full' }),
  ]
}

describe('CascadeTree', () => {
  it('links each step to the nearest step in its cause chain and numbers generations', () => {
    const tree = new CascadeTree(venue)
    for (const e of stream()) tree.add(e)
    expect(tree.steps.map((s) => [s.seq, s.parent, s.generation])).toEqual([[3, -1, 0], [11, 3, 1], [15, -1, 0], [16, 11, 2]])
    expect(tree.roots).toBe(2)
    expect(tree.generationBehind(7)).toBe(0)
    expect(tree.generationBehind(13)).toBe(1)
    expect(tree.generationBehind(0)).toBe(-1)
  })

  it('attributes closed notional (lots · price · cashPerTickLot) to the step behind each taker', () => {
    const tree = new CascadeTree(venue)
    for (const e of stream()) tree.add(e)
    expect(tree.step(3)).toMatchObject({ bookNotional: 1000, liquidatorNotional: 600, backstopNotional: 0 })
    expect(tree.step(11)).toMatchObject({ backstopNotional: 200, adlNotional: 440 })
    expect(tree.generations()).toEqual([
      { generation: 0, liquidations: 2, accounts: 1, notional: 1600, bookNotional: 1000, liquidatorNotional: 600, backstopNotional: 0, adlNotional: 0 },
      { generation: 1, liquidations: 1, accounts: 1, notional: 640, bookNotional: 0, liquidatorNotional: 0, backstopNotional: 200, adlNotional: 440 },
      { generation: 2, liquidations: 1, accounts: 1, notional: 0, bookNotional: 0, liquidatorNotional: 0, backstopNotional: 0, adlNotional: 0 },
    ])
  })

  it('gives the whole chain behind a step, root first, and the steps of an account', () => {
    const tree = new CascadeTree(venue)
    for (const e of stream()) tree.add(e)
    expect(tree.chain(16)).toEqual([0, 1, 2, 3, 4, 8, 9, 10, 11, 13, 16])
    expect(tree.stepsOf(10).map((s) => s.seq)).toEqual([3, 15])
    expect(tree.stepsOf(99)).toEqual([])
  })

  it('refuses events out of seq order', () => {
    const tree = new CascadeTree(venue)
    tree.add(ev(5, 'MarkPrice', -1))
    expect(() => tree.add(ev(5, 'MarkPrice', -1))).toThrow(/out of order/)
  })
})
