import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { Scheduler } from '../../engine/scheduler.js'

describe('Scheduler', () => {
  it('pops by time, and equal times in push order', () => {
    const s = new Scheduler<string>(2)
    s.push(5, 'c')
    s.push(1, 'a')
    s.push(5, 'd')
    s.push(1, 'b')
    s.push(0, 'z')
    const out: string[] = []
    while (s.size > 0) out.push(s.pop())
    expect(out).toEqual(['z', 'a', 'b', 'c', 'd'])
  })

  it('matches a stable sort by (t, push order) on random sequences with interleaved pops', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant(-1)), { maxLength: 300 }), (ops) => {
        const s = new Scheduler<number>(1)
        const reference: { t: number; id: number }[] = []
        let id = 0
        for (const op of ops) {
          if (op >= 0) {
            s.push(op, id)
            reference.push({ t: op, id })
            id++
          } else if (reference.length > 0) {
            reference.sort((x, y) => x.t - y.t || x.id - y.id)
            const expected = reference.shift()!
            expect(s.peekTime()).toBe(expected.t)
            expect(s.pop()).toBe(expected.id)
          }
        }
        expect(s.size).toBe(reference.length)
      }),
    )
  })

  it('rejects non-integer or negative times', () => {
    const s = new Scheduler<number>()
    expect(() => s.push(1.5, 0)).toThrow(/integer/)
    expect(() => s.push(-1, 0)).toThrow(/integer/)
  })

  it('reports Infinity when empty', () => {
    expect(new Scheduler<number>().peekTime()).toBe(Infinity)
  })
})
