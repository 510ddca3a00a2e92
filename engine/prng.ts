// The only source of randomness in cascadelab: xoroshiro128+ (pure-rand), seeded per named
// stream from (run seed, stream name). Each agent and each exogenous process draws from its own
// stream, so adding an agent never shifts the numbers another one sees.
//
// The API is integer-first (int, rangeInclusive, chance) plus `unit` and `normal`, which use only
// + - * / on doubles: no Math.exp/log/pow, whose results ECMAScript leaves to the implementation.

import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus'
import { fail } from './assert.js'
import { expDeterministic, lnDeterministic } from './deterministic_math.js'

type Generator = ReturnType<typeof xoroshiro128plusFromState>

const TWO_POW_32 = 4294967296

/** FNV-1a 32-bit hash of a string (stream names). */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/** splitmix32 step: spreads a 32-bit seed into well-mixed state words. */
function splitmix32(state: number): number {
  let z = (state + 0x9e3779b9) | 0
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
  return (z ^ (z >>> 16)) | 0
}

/** A deterministic random stream. */
export class Prng {
  private readonly generator: Generator

  /** Stream `name` of run `seed` (seed: any safe integer). */
  constructor(seed: number, name: string) {
    if (!(Number.isSafeInteger(seed))) fail(`prng: seed must be a safe integer, got ${seed}`)
    const low = seed >>> 0
    const high = Math.floor(seed / TWO_POW_32) >>> 0
    let s = low ^ Math.imul(high, 0x9e3779b1) ^ fnv1a32(name)
    const words: number[] = []
    for (let i = 0; i < 4; i++) {
      s = splitmix32(s + i)
      words.push(s)
    }
    if ((words[0]! | words[1]! | words[2]! | words[3]!) === 0) words[0] = 1 // all-zero state is a fixed point
    this.generator = xoroshiro128plusFromState(words)
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    return this.generator.next() >>> 0
  }

  /** Uniform integer in [0, n), n ≤ 2^32, without modulo bias. */
  int(n: number): number {
    if (!(Number.isInteger(n) && n > 0 && n <= TWO_POW_32)) fail(`prng: int(n) needs 0 < n <= 2^32, got ${n}`)
    const limit = n > 2 ? Math.floor(TWO_POW_32 / n) * n : TWO_POW_32
    let v = this.uint32()
    while (v >= limit) v = this.uint32()
    return v % n
  }

  /** Uniform integer in [low, high]. */
  rangeInclusive(low: number, high: number): number {
    if (!(high >= low)) fail(`prng: empty range [${low}, ${high}]`)
    return low + this.int(high - low + 1)
  }

  /** True with probability numerator / denominator. */
  chance(numerator: number, denominator: number): boolean {
    return this.int(denominator) < numerator
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  unit(): number {
    const high = this.uint32() >>> 5 // 27 bits
    const low = this.uint32() >>> 6 // 26 bits
    return (high * 67108864 + low) / 9007199254740992
  }

  /** Approximately standard normal: Irwin–Hall sum of 12 uniforms minus 6 (tails cut at ±6). */
  normal(): number {
    let sum = 0
    for (let i = 0; i < 12; i++) sum += this.unit()
    return sum - 6
  }

  /** Exponential draw with the given mean (e.g. ms between Poisson arrivals). */
  exponential(mean: number): number {
    return -mean * lnDeterministic(1 - this.unit())
  }

  /** Lognormal draw whose logarithm has mean `mu` and standard deviation `sigma`. */
  lognormal(mu: number, sigma: number): number {
    return expDeterministic(mu + sigma * this.normal())
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const tmp = items[i] as T
      items[i] = items[j] as T
      items[j] = tmp
    }
    return items
  }
}
