// Environment failures are not bugs: an output path that cannot be created or written exits 4
// with one line naming the path and the cause (never a stack trace), leaves what was there
// untouched, and a scenario's name cannot place the default output outside runs/.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultOutputDirectory, makeOutputDirectory, pathSegment } from '../../experiments/output_directory.js'
import { spawnSync } from 'node:child_process'
import { BIN, cli, expectOneLineError } from '../helpers/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'cascadelab-env-'))
const SHORT = join(dir, 'short.yaml')
writeFileSync(SHORT, 'name: short\ndurationMs: 20000\npopulation: { pairs: 10 }\n')

describe('environment failures', () => {
  it('--out under a file, an existing file as --out, a directory that cannot be made, a full disk: exit 4, path and cause', () => {
    const file = join(dir, 'a-file')
    writeFileSync(file, 'keep me')
    let r = cli('run', SHORT, '--out', join(file, 'sub'), '--quiet')
    expect(r.code).toBe(4)
    expectOneLineError(r.stderr, /a-file\/sub: a part of the path is not a directory \(ENOTDIR\)/)
    r = cli('run', SHORT, '--out', file, '--quiet')
    expect(r.code).toBe(4)
    expectOneLineError(r.stderr, /a-file: already exists and is not a directory \(EEXIST\)/)
    expect(readFileSync(file, 'utf8')).toBe('keep me')
    // Node's own recursive mkdir loops forever here; ours answers at once
    r = cli('run', SHORT, '--out', '/proc/cascadelab-cannot-exist', '--quiet')
    expect(r.code).toBe(4)
    expectOneLineError(r.stderr, /\/proc\/cascadelab-cannot-exist: no such file or directory .*\(ENOENT\)/)
    // the journal's temp file is a link to /dev/full: every write fails with ENOSPC
    const full = join(dir, 'full')
    mkdirSync(full)
    symlinkSync('/dev/full', join(full, 'journal.msgpack.partial'))
    r = cli('run', SHORT, '--out', full, '--quiet')
    expect(r.code).toBe(4)
    expectOneLineError(r.stderr, /full\/journal\.msgpack\.partial: no space left on the device \(ENOSPC\)/)
    expect(existsSync(join(full, 'summary.json'))).toBe(false)
  })

  it('a scenario name cannot put the default output outside runs/', () => {
    expect(pathSegment('../../../x')).toBe('__.._.._x')
    expect(pathSegment('')).toBe('_')
    expect(defaultOutputDirectory('runs', '../../etc/passwd-seed1')).toBe(join('runs', '__.._etc_passwd-seed1'))
    // run from a directory two levels down, without --out: the output stays under its runs/
    const work = join(dir, 'a', 'b')
    mkdirSync(work, { recursive: true })
    writeFileSync(join(work, 'hostile.yaml'), 'name: "../../escaped"\ndurationMs: 20000\npopulation: { pairs: 10 }\n')
    const run = spawnSync(process.execPath, [BIN, 'run', 'hostile.yaml', '--quiet'], { cwd: work, encoding: 'utf8' })
    expect(run.status).toBe(0)
    expect(existsSync(join(work, 'runs', '__.._escaped-seed1', 'summary.json'))).toBe(true)
    expect(existsSync(join(dir, 'escaped-seed1'))).toBe(false)
  })

  it('makeOutputDirectory creates every missing ancestor and accepts an existing directory', () => {
    const deep = join(dir, 'x', 'y', 'z')
    makeOutputDirectory(deep)
    makeOutputDirectory(deep)
    expect(existsSync(deep)).toBe(true)
  })
})
