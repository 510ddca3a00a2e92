// Assertions that stay on in production: the engine stops rather than continue from a state it
// cannot explain. A failed assertion is a bug in cascadelab, never a user mistake.

/** Raised when an engine invariant or precondition does not hold (a bug, not bad input). */
export class AssertionError extends Error {
  override name = 'AssertionError';
}

/** Throws AssertionError with `message` unless `condition` holds. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}

/** Marks the end of an exhaustive switch: the compiler proves it unreachable. */
export function assertNever(value: never): never {
  throw new AssertionError(`unexpected value: ${JSON.stringify(value)}`);
}

/**
 * Throws AssertionError(message). Hot paths write `if (!cond) fail(`…${x}`)` instead of
 * assert(cond, `…${x}`), so the message is only built when the check fails.
 */
export function fail(message: string): never {
  throw new AssertionError(message)
}
