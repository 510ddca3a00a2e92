// A recorded external price path, parsed from CSV text: `timestamp,price[,volume]` per line, an
// optional header naming those columns, timestamps in ms (or s) strictly increasing, prices > 0,
// volumes ≥ 0. Every bad line is rejected with the file, the line number, the column and the
// value — a recorded path that silently skipped a NaN or an out-of-order row would replay a
// different day. The caller reads the file (the engine does no I/O) and names it.

export interface PricePath {
  /** Simulated ms of each point: timestamp − first timestamp (so the path starts at t = 0). */
  timesMs: Float64Array
  /** Price at each point (quote currency). */
  prices: Float64Array
  /** Traded volume at each point (base asset), or null if the file has no volume column. */
  volumes: Float64Array | null
  /** The first timestamp as written (ms), for reports. */
  startTimestampMs: number
}

/** A malformed path file: which file, line (1-based), column and value. */
export class PricePathError extends Error {
  override name = 'PricePathError'
  constructor(readonly file: string, readonly line: number, readonly detail: string) {
    super(`${file}:${line}: ${detail}`)
  }
}

const COLUMNS = ['timestamp', 'price', 'volume'] as const

/** Parses a path; `timestampUnit` 's' multiplies timestamps by 1000. Throws PricePathError. */
export function parsePricePath(text: string, file: string, timestampUnit: 'ms' | 's' = 'ms'): PricePath {
  const lines = text.split(/\r?\n/)
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop() // trailing newlines
  const times: number[] = []
  const prices: number[] = []
  const volumes: number[] = []
  let width = 0
  let first = 0
  if (lines.length > 0 && !looksNumeric(lines[0]!.split(',')[0]!)) {
    width = checkHeader(lines[0]!, file)
    first = 1
  }
  let previousMs = -Infinity
  for (let n = first; n < lines.length; n++) {
    const lineNumber = n + 1
    const line = lines[n]!
    if (line.trim() === '') throw new PricePathError(file, lineNumber, 'empty line')
    const fields = line.split(',')
    if (width === 0) width = fields.length
    if (fields.length !== width || width < 2 || width > 3) {
      throw new PricePathError(file, lineNumber, `expected ${width >= 2 && width <= 3 ? width : '2 or 3'} fields (timestamp,price[,volume]), got ${fields.length} in "${line}"`)
    }
    const timestamp = field(fields[0]!, 'timestamp', file, lineNumber)
    const price = field(fields[1]!, 'price', file, lineNumber)
    if (price === 0) throw new PricePathError(file, lineNumber, `price must be > 0 (got "${fields[1]!.trim()}")`)
    const atMs = Math.round(timestampUnit === 's' ? timestamp * 1000 : timestamp)
    if (!(atMs > previousMs)) {
      throw new PricePathError(file, lineNumber, `timestamp "${fields[0]!.trim()}" is not after the previous line's: timestamps must increase`)
    }
    previousMs = atMs
    times.push(atMs)
    prices.push(price)
    if (width === 3) volumes.push(field(fields[2]!, 'volume', file, lineNumber))
  }
  if (times.length === 0) throw new PricePathError(file, lines.length, 'no data rows (expected timestamp,price[,volume])')
  const start = times[0]!
  return {
    timesMs: Float64Array.from(times, (x) => x - start),
    prices: Float64Array.from(prices),
    volumes: width === 3 ? Float64Array.from(volumes) : null,
    startTimestampMs: start,
  }
}

/** A non-negative finite number, or a PricePathError naming the column and value. */
function field(raw: string, column: string, file: string, line: number): number {
  const text = raw.trim()
  if (text === '') throw new PricePathError(file, line, `${column} is empty`)
  const value = Number(text)
  if (!Number.isFinite(value)) throw new PricePathError(file, line, `${column} is not a number (got "${text}")`)
  if (value < 0) throw new PricePathError(file, line, `${column} is negative (got "${text}")`)
  return value
}

function looksNumeric(text: string): boolean {
  const trimmed = text.trim()
  return trimmed !== '' && !Number.isNaN(Number(trimmed))
}

/** Checks a header line names timestamp,price[,volume]; returns the column count. */
function checkHeader(line: string, file: string): number {
  const names = line.split(',').map((x) => x.trim().toLowerCase())
  const expected = COLUMNS.slice(0, names.length)
  if (names.length < 2 || names.length > 3 || names.some((x, k) => x !== expected[k])) {
    throw new PricePathError(file, 1, `header must be "timestamp,price" or "timestamp,price,volume" (got "${line.trim()}")`)
  }
  return names.length
}

/** Index of the last point at or before `t` (−1 before the first). Binary search. */
export function pointAt(path: { readonly timesMs: Float64Array }, t: number): number {
  let low = 0
  let high = path.timesMs.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if ((path.timesMs[mid] as number) <= t) low = mid + 1
    else high = mid
  }
  return low - 1
}
