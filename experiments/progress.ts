// Progress reporting for long work: a bar on an interactive terminal (stderr), plain lines at
// every 10% otherwise (CI logs, pipes), nothing when quiet.

import cliProgress from 'cli-progress'

export interface Progress {
  /** Sets completed work (same units as total). */
  update(done: number, detail?: string): void
  stop(): void
}

/** A progress reporter for `total` units of work labelled `label`. */
export function createProgress(label: string, total: number, quiet = false): Progress {
  if (quiet) return { update() {}, stop() {} }
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream: process.stderr, format: `${label} [{bar}] {percentage}% | {detail} | ETA {eta_formatted}`, hideCursor: true },
      cliProgress.Presets.shades_classic,
    )
    bar.start(total, 0, { detail: '' })
    return {
      update: (done, detail = '') => bar.update(done, { detail }),
      stop: () => bar.stop(),
    }
  }
  let nextTenth = 1
  return {
    update(done, detail = '') {
      while (total > 0 && done / total >= nextTenth / 10 && nextTenth <= 10) {
        process.stderr.write(`${label}: ${nextTenth * 10}%${detail ? ` (${detail})` : ''}\n`)
        nextTenth++
      }
    },
    stop() {},
  }
}
