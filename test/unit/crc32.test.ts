import { describe, expect, it } from 'vitest'
import { crc32 } from '../../engine/journal/crc32.js'

describe('crc32', () => {
  it('matches the IEEE check value and known vectors', () => {
    const bytes = (s: string) => new TextEncoder().encode(s)
    expect(crc32(bytes('123456789'))).toBe(0xcbf43926) // the standard CRC-32 check value
    expect(crc32(bytes(''))).toBe(0)
    expect(crc32(bytes('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339)
  })
})
