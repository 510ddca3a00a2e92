import { describe, expect, it } from 'vitest'
import { expDeterministic, lnDeterministic } from '../../engine/deterministic_math.js'
import { Prng } from '../../engine/prng.js'

const draw = (rng: Prng, n: number) => Array.from({ length: n }, () => rng.uint32())

describe('Prng', () => {
  it('is a pure function of (seed, stream name)', () => {
    expect(draw(new Prng(7, 'agent-1'), 20)).toEqual(draw(new Prng(7, 'agent-1'), 20))
    expect(draw(new Prng(7, 'agent-1'), 20)).not.toEqual(draw(new Prng(7, 'agent-2'), 20))
    expect(draw(new Prng(7, 'agent-1'), 20)).not.toEqual(draw(new Prng(8, 'agent-1'), 20))
    // seeds that differ only above 2^32 still differ
    expect(draw(new Prng(2 ** 40 + 7, 'a'), 8)).not.toEqual(draw(new Prng(7, 'a'), 8))
  })

  it('pins its output so a change of generator is noticed (journals depend on it)', () => {
    expect(draw(new Prng(1, 'population'), 4)).toMatchInlineSnapshot(`
      [
        3776994010,
        2198623712,
        702552147,
        2848610080,
      ]
    `)
  })

  it('int(n) is in range and roughly uniform (chi-square, 10 bins)', () => {
    const rng = new Prng(3, 'uniform')
    const bins = new Array(10).fill(0)
    const n = 100_000
    for (let i = 0; i < n; i++) {
      const v = rng.int(10)
      expect(v >= 0 && v < 10).toBe(true)
      bins[v]++
    }
    const expected = n / 10
    const chi2 = bins.reduce((acc, b) => acc + (b - expected) ** 2 / expected, 0)
    expect(chi2).toBeLessThan(27.9) // p = 0.001 for 9 degrees of freedom
  })

  it('unit() is in [0,1) with mean 1/2, normal() has mean 0 and variance 1', () => {
    const rng = new Prng(4, 'moments')
    let sumU = 0
    let sumN = 0
    let sumN2 = 0
    const n = 50_000
    for (let i = 0; i < n; i++) {
      const u = rng.unit()
      expect(u >= 0 && u < 1).toBe(true)
      sumU += u
      const z = rng.normal()
      sumN += z
      sumN2 += z * z
    }
    expect(sumU / n).toBeCloseTo(0.5, 2)
    expect(sumN / n).toBeCloseTo(0, 1)
    expect(sumN2 / n).toBeCloseTo(1, 1)
  })

  it('exponential(mean) has the requested mean', () => {
    const rng = new Prng(5, 'exp')
    let sum = 0
    const n = 50_000
    for (let i = 0; i < n; i++) sum += rng.exponential(200)
    expect(sum / n).toBeGreaterThan(195)
    expect(sum / n).toBeLessThan(205)
  })
})

describe('deterministic ln/exp', () => {
  it('agree with Math.log/Math.exp to ~1e-14 relative', () => {
    for (const x of [1e-300, 1e-9, 0.001, 0.3, 0.5, 0.999, 1, 1.5, 2, 10, 12345.678, 1e200]) {
      expect(Math.abs(lnDeterministic(x) - Math.log(x))).toBeLessThan(1e-13 * Math.max(1, Math.abs(Math.log(x))))
    }
    for (const x of [-700, -20, -1, -1e-9, 0, 1e-9, 0.5, 1, 3.3, 20, 700]) {
      expect(Math.abs(expDeterministic(x) - Math.exp(x)) / Math.exp(x)).toBeLessThan(1e-13)
    }
    expect(lnDeterministic(0)).toBeNaN()
    expect(expDeterministic(1000)).toBe(Infinity)
  })
})
