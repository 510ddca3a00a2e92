// Recorded price paths: what a good CSV gives, and that every kind of bad line is rejected
// with the file, the line and the value (never skipped or coerced).

import { describe, expect, it } from 'vitest'
import { parsePricePath, PricePathError, pointAt } from '../../engine/market/price_path.js'

const FILE = 'paths/btc.csv'

function errorOf(text: string, unit: 'ms' | 's' = 'ms'): PricePathError {
  try {
    parsePricePath(text, FILE, unit)
  } catch (error) {
    if (error instanceof PricePathError) return error
    throw error
  }
  throw new Error('expected a PricePathError')
}

describe('parsePricePath', () => {
  it('reads timestamp,price[,volume] with or without a header; the path starts at t = 0', () => {
    const path = parsePricePath('timestamp,price,volume\n1700000000000,60000,1.5\n1700000001000,59950.5,0\n1700000003500,59900,2\n', FILE)
    expect([...path.timesMs]).toEqual([0, 1000, 3500])
    expect([...path.prices]).toEqual([60000, 59950.5, 59900])
    expect([...path.volumes!]).toEqual([1.5, 0, 2])
    expect(path.startTimestampMs).toBe(1700000000000)
    const bare = parsePricePath('10,100\r\n20,101\r\n', FILE)
    expect([...bare.timesMs]).toEqual([0, 10])
    expect(bare.volumes).toBeNull()
    expect([...parsePricePath('5,100\n6.5,101\n', FILE, 's').timesMs]).toEqual([0, 1500])
  })

  it('finds the last point at or before a time', () => {
    const path = parsePricePath('0,1\n100,2\n200,3\n', FILE)
    expect([pointAt(path, -1), pointAt(path, 0), pointAt(path, 99), pointAt(path, 100), pointAt(path, 1e9)]).toEqual([-1, 0, 0, 1, 2])
  })

  it.each([
    ['unsorted timestamps', '0,100\n2000,101\n1000,102\n', 3, 'timestamp "1000" is not after'],
    ['a repeated timestamp', '0,100\n1000,101\n1000,102\n', 3, 'timestamp "1000" is not after'],
    ['NaN', '0,100\n1000,NaN\n', 2, 'price is not a number (got "NaN")'],
    ['text', '0,100\n1000,abc\n', 2, 'price is not a number (got "abc")'],
    ['a negative price', '0,100\n1000,-5\n', 2, 'price is negative (got "-5")'],
    ['a zero price', '0,100\n1000,0\n', 2, 'price must be > 0 (got "0")'],
    ['a negative volume', '0,100,1\n1000,101,-2\n', 2, 'volume is negative (got "-2")'],
    ['a negative timestamp', '-10,100\n', 1, 'timestamp is negative (got "-10")'],
    ['an empty price', '0,100\n1000,\n', 2, 'price is empty'],
    ['an empty timestamp', '0,100\n ,101\n', 2, 'timestamp is empty'],
    ['an empty line', '0,100\n\n2000,101\n', 2, 'empty line'],
    ['a missing column', '0,100\n1000\n', 2, 'expected 2 fields'],
    ['an extra column', '0,100,1\n1000,101,1,9\n', 2, 'expected 3 fields'],
    ['a bad header', 'time,price\n0,100\n', 1, 'header must be'],
    ['no data', 'timestamp,price\n', 1, 'no data rows'],
    ['Infinity', '0,Infinity\n', 1, 'price is not a number (got "Infinity")'],
  ])('rejects %s with file, line and value', (_name, text, line, detail) => {
    const error = errorOf(text)
    expect(error.file).toBe(FILE)
    expect(error.line).toBe(line)
    expect(error.message).toBe(`${FILE}:${line}: ${error.detail}`)
    expect(error.detail).toContain(detail)
  })
})
