// The sweep table as CSV: quoting by RFC 4180, and text that a spreadsheet would run as a formula
// (=HYPERLINK(…), +, -, @ first) neutralised with a leading apostrophe; numbers keep their sign.

import { describe, expect, it } from 'vitest'
import { tableCsv, type ResultsTable } from '../../experiments/results_table.js'

describe('results CSV', () => {
  it('neutralises formula-like text, quotes what needs quoting, leaves numbers alone', () => {
    const table: ResultsTable = {
      columns: [{ name: 'run', type: 'VARCHAR' }, { name: 'label', type: 'VARCHAR' }, { name: 'pnl', type: 'DOUBLE' }],
      rows: [
        ['run-0', '=HYPERLINK("http://x","y")', -0.5],
        ['run-1', '@SUM(A1)', 3],
        ['run-2', 'plain, with comma', -12],
        ['run-3', '-starts with a minus', null],
      ],
    }
    expect(tableCsv(table)).toBe([
      'run,label,pnl',
      `run-0,"'=HYPERLINK(""http://x"",""y"")",-0.5`,
      "run-1,'@SUM(A1),3",
      'run-2,"plain, with comma",-12',
      "run-3,'-starts with a minus,",
      '',
    ].join('\n'))
  })
})
