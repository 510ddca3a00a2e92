// Scenario fields addressed by dotted path, as sweeps name them: "venue.insuranceFund",
// "price.shocks.0.drop" (a number segment indexes an array). Paths are checked against a
// resolved scenario, so a typo is reported before any run starts.

/** Path segments of `path`: object keys, and array indices as numbers. */
export function parseFieldPath(path: string): (string | number)[] {
  return path.split('.').map((segment) => (/^(0|[1-9]\d*)$/.test(segment) ? Number(segment) : segment))
}

/** The value at `path` in `root`, or undefined if the path does not exist. */
export function valueAtPath(root: unknown, path: readonly (string | number)[]): unknown {
  let value = root
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined
    if (Array.isArray(value) !== (typeof key === 'number')) return undefined
    if (!Object.prototype.hasOwnProperty.call(value, key)) return undefined
    value = (value as Record<string | number, unknown>)[key]
  }
  return value
}

/** Sets `value` at `path` in a mutable (draft) object whose path exists. */
export function setAtPath(root: Record<string, unknown>, path: readonly (string | number)[], value: unknown): void {
  let target: Record<string | number, unknown> = root
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>
  target[path[path.length - 1]!] = value
}

/** Every leaf path of `root` (for "did you mean" hints). */
export function leafPaths(root: unknown, prefix = ''): string[] {
  if (root === null || typeof root !== 'object') return prefix ? [prefix] : []
  return Object.entries(root).flatMap(([key, value]) => leafPaths(value, prefix ? `${prefix}.${key}` : key))
}
