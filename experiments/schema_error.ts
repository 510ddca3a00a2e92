// One-line errors for input validated by a zod schema: the file, the path of the field, the
// value found there and what was expected (zod's message says what it expected).

import type { z } from 'zod'
import { UserError } from './errors.js'

/** The first issue of `error` as a UserError: "<source>: <field path>: <expectation> (got <value>)". */
export function schemaError(source: string, raw: unknown, error: z.ZodError): UserError {
  const issue = error.issues[0]!
  const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)'
  const value = valueAt(raw, issue.path)
  const shown = value === undefined ? '' : ` (got ${JSON.stringify(value)})`
  return new UserError(`${source}: ${path}: ${issue.message}${shown}`)
}

/** The value at a path inside parsed data (undefined if absent). */
export function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<PropertyKey, unknown>)[key]
  }
  return value
}
