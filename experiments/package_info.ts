// The package's own name and version, read from package.json whether running from source
// (experiments/) or from the build (dist/experiments/).

import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const candidate = join(dir, 'package.json')
    if (existsSync(candidate) && (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'cascadelab') return dir
    const parent = dirname(dir)
    if (parent === dir) throw new Error('package.json of cascadelab not found')
    dir = parent
  }
}

/** Directory holding cascadelab's package.json. */
export const PACKAGE_ROOT = findPackageRoot()
/** cascadelab's version. */
export const PACKAGE_VERSION = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version
