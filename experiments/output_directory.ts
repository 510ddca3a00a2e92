// Where outputs go: a default directory under an output root named after a scenario or sweep —
// confined to that root whatever the name says ("../../x" stays inside) — and creating an output
// directory one ancestor at a time. Node's `mkdirSync(path, { recursive: true })` loops forever
// on some paths it cannot create (under /proc), so the walk up is ours and every failure is the
// operating system's answer for one named path.

import { mkdirSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

/** `name` as one safe path segment: characters outside [A-Za-z0-9._-] become '_', no leading dot, never empty. */
export function pathSegment(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_')
  return safe.length === 0 ? '_' : safe.slice(0, 200)
}

/** The default output directory for `name` under `root` (root/segment: never outside root). */
export function defaultOutputDirectory(root: string, name: string): string {
  return join(root, pathSegment(name))
}

/** Creates directory `path` and any missing ancestors (like mkdir -p); throws the system error of the first that fails. */
export function makeOutputDirectory(path: string): void {
  const missing: string[] = []
  let current = resolve(path)
  for (;;) {
    const kind = existingKind(current)
    if (kind === 'directory') break
    if (kind === 'other') mkdirSync(current) // exists but is not a directory: EEXIST/ENOTDIR names it
    missing.push(current)
    const parent = dirname(current)
    if (parent === current) break
    current = parent
  }
  for (let k = missing.length - 1; k >= 0; k--) mkdirSync(missing[k] as string)
}

function existingKind(path: string): 'directory' | 'other' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'other'
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return 'missing'
    throw error // ENOTDIR (a file on the way), EACCES …: the caller reports the path and cause
  }
}
