// Report HTML: text from scenario files is escaped everywhere (it can hold markup), the
// embedded provenance survives any text round-trip, and chart helpers produce sane ticks.

import { describe, expect, it } from 'vitest'
import { escapeHtml, extractProvenance, htmlPage, jsonForScript } from '../../analysis/report/html.js'
import { niceTicks } from '../../analysis/report/svg_chart.js'
import { meanInterval } from '../../analysis/report/sweep_statistics.js'

const HOSTILE = `</script><script>alert("x")</script><img src=x onerror=alert(1)> & \u2028 '`

describe('report HTML', () => {
  it('escapes markup in text', () => {
    expect(escapeHtml(HOSTILE)).not.toMatch(/[<>"']/)
    expect(escapeHtml('a & b')).toBe('a &amp; b')
  })

  it('embeds provenance that cannot close its script element and reads back identically', () => {
    const provenance = { format: 'cascadelab-report', scenario: { name: HOSTILE, description: HOSTILE } }
    expect(jsonForScript(provenance)).not.toMatch(/[<>&\u2028]/)
    const html = htmlPage(HOSTILE, `<p>${escapeHtml(HOSTILE)}</p>`, provenance)
    expect(html).not.toContain('<script>alert')
    expect(html).not.toContain('<img')
    expect(html.match(/<script/g)).toHaveLength(1) // only the provenance element
    expect(extractProvenance(html)).toEqual(provenance)
  })

  it('nice ticks are round and cover the range', () => {
    expect(niceTicks(0, 100, 5)).toEqual([0, 20, 40, 60, 80, 100])
    expect(niceTicks(51_390, 60_000, 5)).toEqual([52_000, 54_000, 56_000, 58_000, 60_000])
  })

  it('confidence intervals over seeds use Student t', () => {
    // mean 2, sd 1, n = 3: half-width 4.303 · 1/√3
    const ci = meanInterval([1, 2, 3])
    expect(ci.mean).toBe(2)
    expect(ci.high - ci.mean).toBeCloseTo(4.303 / Math.sqrt(3), 6)
    expect(meanInterval([5])).toEqual({ n: 1, mean: 5, low: 5, high: 5 })
  })
})
