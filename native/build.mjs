// Builds the native addon (native/*.cc: the margin-scan kernel and the liquidation index's re-banding → build/Release/scan_kernel.node)
// with node-gyp, from source, against the Node headers already on the machine. Run by `npm ci`
// (install script) and `npm run build`; make rebuilds only what changed.
//
// Optional by design: without a C++ toolchain or Node headers the engine scans with its
// compiled JavaScript kernel instead (same results, ~3x slower full scans), so a failed build
// warns and exits 0. Set CASCADELAB_NATIVE_REQUIRED=1 to make it fail instead (CI does).

import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const required = process.env.CASCADELAB_NATIVE_REQUIRED === '1'

/** node-gyp's entry point: npm's own copy (next to the npm running us, or the global one). */
function nodeGyp() {
  const candidates = []
  if (process.env.npm_execpath) candidates.push(join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'))
  candidates.push(join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'))
  try {
    candidates.push(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js'))
  } catch {
    // not installed as a package: the npm copies above are the usual place
  }
  return candidates.find((path) => existsSync(path))
}

/** Node's headers on this machine, so node-gyp never tries to download them. */
function nodeDir() {
  if (process.env.npm_config_nodedir) return process.env.npm_config_nodedir
  const prefix = dirname(dirname(process.execPath))
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined
}

function skip(reason) {
  const message = `cascadelab: native addon not built (${reason}); margin scans and the liquidation index use their JavaScript code`
  if (required) {
    process.stderr.write(`${message}\n`)
    process.exit(1)
  }
  process.stderr.write(`${message}\n`)
  process.exit(0)
}

const gyp = nodeGyp()
if (gyp === undefined) skip('node-gyp not found')
const dir = nodeDir()
if (dir === undefined) skip('no Node headers found (set npm_config_nodedir)')
const args = [gyp, existsSync(join(root, 'build', 'Makefile')) ? 'build' : 'rebuild', `--nodedir=${dir}`, '--silent']
const result = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] })
if (result.status !== 0) skip(`node-gyp exited with ${result.status ?? result.signal}`)
