// Progress of a sweep: on an interactive terminal a bar with done/total runs, runs/s and ETA
// (stderr); otherwise plain lines (CI logs, pipes, cluster job logs) — the first run, then at
// most one line every few seconds, and the last. Runs/s counts only runs done in this process,
// so a resumed sweep does not report the skipped runs as instant.

import cliProgress from 'cli-progress'

const PLAIN_LINE_EVERY_MS = 5000

export interface SweepProgress {
  /** One more run finished. */
  tick(): void
  stop(): void
}

/** A progress reporter for `total` runs of which `done` already finished before this process. */
export function createSweepProgress(label: string, total: number, done: number, quiet: boolean): SweepProgress {
  if (quiet) return { tick() {}, stop() {} }
  const started = performance.now()
  const startDone = done
  const rate = (): number => (done - startDone) / Math.max(1e-3, (performance.now() - started) / 1000)
  const eta = (): string => {
    const r = rate()
    if (done >= total) return '0s'
    return r > 0 ? formatSeconds((total - done) / r) : '?'
  }
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar({
      stream: process.stderr, hideCursor: true,
      format: `${label} [{bar}] {value}/{total} runs | {rate} runs/s | ETA {etaText}`,
    }, cliProgress.Presets.shades_classic)
    bar.start(total, done, { rate: '0.00', etaText: '?' })
    return {
      tick() {
        done++
        bar.update(done, { rate: rate().toFixed(2), etaText: eta() })
      },
      stop: () => bar.stop(),
    }
  }
  let lastLine = -Infinity
  const line = (): void => {
    lastLine = performance.now()
    process.stderr.write(`${label}: ${done}/${total} runs, ${rate().toFixed(2)} runs/s, ETA ${eta()}\n`)
  }
  if (done > 0) process.stderr.write(`${label}: ${done}/${total} runs already finished, resuming\n`)
  return {
    tick() {
      done++
      if (done === total || performance.now() - lastLine >= PLAIN_LINE_EVERY_MS) line()
    },
    stop() {},
  }
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}s`
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(Math.ceil(seconds % 60)).padStart(2, '0')}s`
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`
}
