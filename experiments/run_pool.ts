// A Piscina pool that runs whole simulations, one per worker thread at a time: simulations are
// CPU-bound and single-threaded, so N workers use N cores and queueing more per worker gains
// nothing. From the build (dist/) the worker is plain JS; from TypeScript sources (tests,
// benchmarks) the worker thread loads them through tsx.

import { fileURLToPath } from 'node:url'
import { Piscina } from 'piscina'
import type { SweepTask, SweepTaskResult } from './sweep_worker.js'

/** Runs sweep tasks on `workers` threads. */
export class RunPool {
  private readonly pool: Piscina<SweepTask, SweepTaskResult>

  constructor(readonly workers: number) {
    const fromSource = import.meta.url.endsWith('.ts')
    this.pool = new Piscina<SweepTask, SweepTaskResult>({
      filename: fileURLToPath(new URL(fromSource ? './sweep_worker.ts' : './sweep_worker.js', import.meta.url)),
      minThreads: workers,
      maxThreads: workers,
      concurrentTasksPerWorker: 1,
      idleTimeout: 60_000,
      execArgv: fromSource ? ['--import', 'tsx'] : [],
    })
  }

  /** Runs one task on the next free worker. */
  run(task: SweepTask): Promise<SweepTaskResult> {
    return this.pool.run(task)
  }

  /** Stops the worker threads. */
  close(): Promise<void> {
    return this.pool.destroy()
  }
}
