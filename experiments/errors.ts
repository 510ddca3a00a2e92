// Errors caused by the user's input (files, flags, values). The CLI prints their message on one
// line with no stack trace and exits with their code; anything else is a bug and keeps its stack.

/** Exit codes of the cascadelab CLI. */
export const EXIT = {
  ok: 0,
  /** A check failed: replay diverged, an invariant broke under --check. */
  checkFailed: 1,
  /** Bad input: unknown command or flag, invalid scenario, missing or unreadable file. */
  badInput: 2,
  /** A journal is truncated or corrupt. */
  corruptJournal: 3,
  /** An internal error (a bug in cascadelab). */
  internal: 70,
} as const

/** A mistake in the user's input; `message` names the file, field and value. */
export class UserError extends Error {
  override name = 'UserError'
  constructor(message: string, readonly exitCode: number = EXIT.badInput) {
    super(message)
  }
}
