// DESIGN.md's rules, checked on the source: engine/ never reads wall-clock time or Math.random
// and imports nothing from agents/, analysis/ or experiments/; agents/ import only engine types.

import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '..', '..')

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : []
  })
}

const code = (path: string) => readFileSync(path, 'utf8').replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '')

describe('layering and determinism rules', () => {
  it('engine/ and agents/ never read the clock or Math.random', () => {
    const offenders = [...sources(join(ROOT, 'engine')), ...sources(join(ROOT, 'agents'))]
      .filter((path) => /Math\.random|Date\.now|performance\.now|new Date\(|crypto\.randomUUID|process\.hrtime/.test(code(path)))
      .map((path) => relative(ROOT, path))
    expect(offenders).toEqual([])
  })

  it('engine/ imports nothing from agents/, analysis/ or experiments/', () => {
    const offenders = sources(join(ROOT, 'engine'))
      .filter((path) => /from\s+['"](\.\.\/)+(agents|analysis|experiments)\//.test(code(path)))
      .map((path) => relative(ROOT, path))
    expect(offenders).toEqual([])
  })

  it('agents/ imports only from engine/ and agents/', () => {
    const offenders = sources(join(ROOT, 'agents'))
      .filter((path) => /from\s+['"](\.\.\/)+(analysis|experiments)\//.test(code(path)))
      .map((path) => relative(ROOT, path))
    expect(offenders).toEqual([])
  })

  it('the rule checker itself can fail', () => {
    expect(/Math\.random/.test(code('/dev/null') + 'Math.random()')).toBe(true)
  })
})
