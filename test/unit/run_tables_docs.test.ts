// `cascadelab export --help` promises that every column of the per-run tables is defined in
// docs/METRICS.md: each column name appears, in backticks, in that page's per-run tables section.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ACCOUNT_COLUMNS, EVENT_COLUMNS, LIQUIDATION_COLUMNS, SERIES_COLUMNS } from '../../experiments/run_tables.js'

describe('per-run table columns', () => {
  it('are all defined in docs/METRICS.md', () => {
    const docs = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'METRICS.md'), 'utf8')
    const section = docs.slice(docs.indexOf('## Per-run tables'), docs.indexOf('## Reconciliation'))
    expect(section.length).toBeGreaterThan(100)
    for (const [table, columns] of [['events', EVENT_COLUMNS], ['liquidations', LIQUIDATION_COLUMNS], ['accounts', ACCOUNT_COLUMNS], ['timeseries', SERIES_COLUMNS]] as const) {
      for (const column of columns) expect(section, `${table}.${column.name}`).toContain(`\`${column.name}\``)
    }
  })
})
