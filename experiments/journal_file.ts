// Opening a journal named on the command line, with a user error if it is missing.

import { existsSync, statSync } from 'node:fs'
import { JournalReader } from '../engine/journal/journal_reader.js'
import { UserError } from './errors.js'

/** Opens `file` as a journal; a missing file is a UserError, a damaged one a JournalError. */
export function openJournal(file: string): JournalReader {
  if (!existsSync(file) || !statSync(file).isFile()) throw new UserError(`${file}: no such journal file`)
  return new JournalReader(file)
}
