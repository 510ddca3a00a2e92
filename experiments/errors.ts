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
  /** The environment refused: a path cannot be created or written (permission, read-only, full disk, not a directory…). */
  environment: 4,
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

/** What an operating-system error code means, for the one-line message (codes not listed are not environment failures). */
const ENVIRONMENT_CAUSES: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a part of the path is not a directory',
  EEXIST: 'already exists and is not a directory',
  EISDIR: 'is a directory',
  ENOENT: 'no such file or directory (or it cannot be created there)',
  ENAMETOOLONG: 'name too long',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'input/output error',
  EBUSY: 'device or resource busy',
  ETXTBSY: 'text file busy',
}

/** One line for an operating-system error ("path: cause (CODE)"), or null if `error` is not one. */
export function environmentFailure(error: unknown): string | null {
  if (!(error instanceof Error)) return null
  const { code, path, dest } = error as NodeJS.ErrnoException & { dest?: string }
  const cause = code === undefined ? undefined : ENVIRONMENT_CAUSES[code]
  if (cause === undefined) return null
  const where = path ?? dest
  return where === undefined ? `${(error as NodeJS.ErrnoException).syscall ?? 'system call'}: ${cause} (${code})` : `${where}: ${cause} (${code})`
}
