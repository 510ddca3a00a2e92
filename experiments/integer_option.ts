// Parsers for integer command-line options (--seed, --threads, --workers): commander calls them
// with the raw text; a bad value is a usage error naming the option, the range and the value.

import { InvalidArgumentError } from 'commander'

/** A commander parser accepting integers in [min, max] for option `name`. */
export function integerOption(name: string, min: number, max: number): (value: string) => number {
  const range = max === Number.MAX_SAFE_INTEGER ? `a non-negative integer` : `an integer from ${min} to ${max}`
  return (value: string): number => {
    const n = Number(value)
    if (!Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be ${range}, got "${value}"`)
    return n
  }
}

/** --seed: a non-negative safe integer. */
export const parseSeed = integerOption('seed', 0, Number.MAX_SAFE_INTEGER)
/** --threads: risk-scan threads, 1 to 64. */
export const parseThreads = integerOption('threads', 1, 64)
/** --workers: simulation worker threads, 1 to 1024. */
export const parseWorkers = integerOption('workers', 1, 1024)
