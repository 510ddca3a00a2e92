// A deterministic slice of a sweep for one machine: shard k of n takes the runs whose plan
// index i has i mod n = k − 1. Round-robin rather than contiguous blocks, so neighbouring
// variants (often similar in cost) spread across machines. Every machine computes the same plan,
// so shards need no coordination; `cascadelab merge` puts them back together.

import { InvalidArgumentError } from 'commander'

export interface Shard { k: number; n: number }

/** Parses "k/n" (1 ≤ k ≤ n); a commander argument parser. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text)
  const k = Number(match?.[1])
  const n = Number(match?.[2])
  if (!match || !(n >= 1 && k >= 1 && k <= n)) {
    throw new InvalidArgumentError(`shard must be k/n with 1 <= k <= n (e.g. 2/8), got "${text}"`)
  }
  return { k, n }
}

/** True if plan index `index` belongs to `shard`. */
export function inShard(index: number, shard: Shard): boolean {
  return index % shard.n === shard.k - 1
}
