// The pooled RiskEvaluator: N Piscina worker threads claiming chunks of contiguous accounts of
// the shared columns (risk_protocol.ts); the chunks' unhealthy accounts are merged in chunk
// order, which is account order, so the result is bit-identical to the sequential scan whatever
// the timing and whichever worker scanned which chunk.
//
// Life cycle: `await PooledRiskEvaluator.start(n)` (resolves once every worker serves, so the
// engine's synchronous scans never wait for a thread to boot), then any number of synchronous
// evaluate() calls (the main thread blocks on Atomics.wait while the workers scan), then
// `await close()`, which stops the workers, destroys the pool and rejects with a worker's crash.
// A worker's exception fails the scan with the worker's message; a worker that dies outright
// (the thread is gone) fails the scan after `timeoutMs` and close() reports the crash.

import { fileURLToPath } from 'node:url'
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads'
import { Piscina } from 'piscina'
import { fail } from '../assert.js'
import type { RiskColumns } from './risk_columns.js'
import type { RiskEvaluator, RiskScan } from './risk_evaluator.js'
import {
  CHUNK_ACCOUNTS, CHUNK_ACCOUNTS_MIN, CHUNK_COUNT, CHUNKS, CHUNKS_PER_THREAD, COMMAND, controlInts, DONE, LAYOUT, NEXT_CHUNK, OP,
  OP_SCAN, OP_SCAN_BANDS, OP_STOP, READY, SCAN_ACCOUNTS, SLOT_INTS, STATUS, STATUS_ERROR,
  type Layout, type RiskWorkerTask, type WorkerError,
} from './risk_protocol.js'
import { sharedFloat64, sharedInt32 } from '../shared_columns.js'

export interface PooledRiskOptions {
  /** How long a scan waits for a worker before declaring it dead (wall ms; default 60 000). */
  timeoutMs?: number
}

/** RiskEvaluator over `threads` worker threads. */
export class PooledRiskEvaluator implements RiskEvaluator {
  private readonly control: Int32Array
  private readonly ports: MessagePort[] = []
  private readonly tasks: Promise<number>[] = []
  private crash: unknown = null
  // What the workers hold (columns are re-taken, and re-sent, when the store grows).
  private sentColumns: RiskColumns | null = null
  private sentCash: Float64Array | null = null
  private sentAccounts: Int32Array | null = null
  private sentBand: Float64Array | null | undefined = undefined
  private accounts = sharedInt32(1024)
  private health = sharedFloat64(1024)
  private readonly scan: RiskScan = { count: 0, accounts: this.accounts, health: this.health }
  private closed = false

  private constructor(readonly threads: number, private readonly pool: Piscina, private readonly timeoutMs: number) {
    this.control = sharedInt32(controlInts(threads))
  }

  /** Starts `threads` workers and resolves when all of them serve. */
  static async start(threads: number, options: PooledRiskOptions = {}): Promise<PooledRiskEvaluator> {
    if (!(Number.isInteger(threads) && threads >= 1 && threads <= 256)) fail(`risk pool: threads must be in [1, 256], got ${threads}`)
    const fromSource = import.meta.url.endsWith('.ts')
    const pool = new Piscina({
      filename: fileURLToPath(new URL(fromSource ? './risk_worker.ts' : './risk_worker.js', import.meta.url)),
      minThreads: threads, maxThreads: threads, concurrentTasksPerWorker: 1, idleTimeout: 1000,
      execArgv: fromSource ? ['--import', 'tsx'] : [],
    })
    const evaluator = new PooledRiskEvaluator(threads, pool, options.timeoutMs ?? 60_000)
    for (let slot = 0; slot < threads; slot++) {
      const channel = new MessageChannel()
      channel.port1.unref()
      evaluator.ports.push(channel.port1)
      const task: RiskWorkerTask = { control: evaluator.control, slot, threads, port: channel.port2 }
      const running = pool.run(task, { transferList: [channel.port2] }) as Promise<number>
      running.catch((error: unknown) => { evaluator.crash ??= error })
      evaluator.tasks.push(running)
    }
    await evaluator.whenReady()
    return evaluator
  }

  /** Resolves when every worker has set READY; rejects if one crashed first. */
  private async whenReady(): Promise<void> {
    for (let slot = 0; slot < this.threads; slot++) {
      while (Atomics.load(this.control, slot * SLOT_INTS + READY) !== 1) {
        if (this.crash !== null) throw this.crash
        await new Promise((resolve) => setTimeout(resolve, 2))
      }
    }
  }

  evaluate(columns: RiskColumns, count: number, band: Float64Array | null): RiskScan {
    if (this.closed) fail('risk pool: evaluate after close')
    if (count > this.accounts.length) {
      let capacity = this.accounts.length
      while (capacity < count) capacity *= 2
      this.accounts = sharedInt32(capacity)
      this.health = sharedFloat64(capacity)
      this.scan.accounts = this.accounts
      this.scan.health = this.health
    }
    const layoutChanged = this.sendLayout(columns, band)
    const control = this.control
    const scan = this.threads * SLOT_INTS
    const chunkAccounts = Math.max(CHUNK_ACCOUNTS_MIN, Math.ceil(count / (this.threads * CHUNKS_PER_THREAD)))
    const chunks = Math.ceil(count / chunkAccounts)
    control[scan + NEXT_CHUNK] = 0
    control[scan + CHUNKS] = chunks
    control[scan + CHUNK_ACCOUNTS] = chunkAccounts
    control[scan + SCAN_ACCOUNTS] = count
    for (let w = 0; w < this.threads; w++) {
      const base = w * SLOT_INTS
      control[base + OP] = band === null ? OP_SCAN : OP_SCAN_BANDS
      if (layoutChanged) control[base + LAYOUT] = 1
      Atomics.add(control, base + COMMAND, 1)
      Atomics.notify(control, base + COMMAND)
    }
    for (let w = 0; w < this.threads; w++) {
      const base = w * SLOT_INTS
      const command = Atomics.load(control, base + COMMAND)
      while (Atomics.load(control, base + DONE) !== command) {
        const done = Atomics.load(control, base + DONE)
        if (Atomics.wait(control, base + DONE, done, this.timeoutMs) === 'timed-out') {
          fail(`risk pool: worker ${w} did not answer within ${this.timeoutMs} ms (crashed?)`)
        }
      }
    }
    // Only once every worker is done: a worker still busy must not meet the next scan's chunks.
    for (let w = 0; w < this.threads; w++) {
      const base = w * SLOT_INTS
      if (control[base + STATUS] === STATUS_ERROR) {
        const reply = receiveMessageOnPort(this.ports[w] as MessagePort)
        fail(`risk pool: worker ${w} failed: ${reply === undefined ? 'no message' : (reply.message as WorkerError).message}`)
      }
    }
    // Chunks are in account order: moving each one's results down to n merges them.
    let n = 0
    for (let c = 0; c < chunks; c++) {
      const from = c * chunkAccounts
      const found = control[scan + CHUNK_COUNT + c] as number
      if (from !== n) {
        this.accounts.copyWithin(n, from, from + found)
        this.health.copyWithin(n, from, from + found)
      }
      n += found
    }
    this.scan.count = n
    return this.scan
  }

  /** Posts the buffers to every worker if any changed since the last scan; returns true if it did. */
  private sendLayout(columns: RiskColumns, band: Float64Array | null): boolean {
    if (this.sentColumns === columns && this.sentCash === columns.cash && this.sentAccounts === this.accounts && this.sentBand === band) return false
    const layout: Layout = { kind: 'layout', columns, accounts: this.accounts, health: this.health, band }
    for (const port of this.ports) port.postMessage(layout)
    this.sentColumns = columns
    this.sentCash = columns.cash
    this.sentAccounts = this.accounts
    this.sentBand = band
    return true
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (let w = 0; w < this.threads; w++) {
      const base = w * SLOT_INTS
      this.control[base + OP] = OP_STOP
      Atomics.add(this.control, base + COMMAND, 1)
      Atomics.notify(this.control, base + COMMAND)
    }
    await Promise.allSettled(this.tasks)
    for (const port of this.ports) port.close()
    await this.pool.destroy()
    if (this.crash !== null) throw this.crash
  }
}
