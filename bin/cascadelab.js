#!/usr/bin/env node
// Entry point of the `cascadelab` command: runs the compiled CLI from dist/.
import { existsSync } from 'node:fs'

const cli = new URL('../dist/experiments/cli.js', import.meta.url)
if (!existsSync(cli)) {
  process.stderr.write('cascadelab: not built yet — run `npm run build` (npm ci does it too)\n')
  process.exit(2)
}
const { main } = await import(cli.href)
await main(process.argv)
