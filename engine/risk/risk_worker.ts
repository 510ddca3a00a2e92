// A risk worker (Piscina): serves full scans over the shared columns until told to stop. It
// runs one long task (risk_protocol.ts): wait for a command, claim chunks of the scan until none
// is left, scanning each with the same kernel as the sequential evaluator and writing its
// results into the shared output arrays at the chunk's first account, report, repeat. An
// exception is reported to the main thread (message on the port, STATUS ERROR) instead of
// ending the task, so the run fails with the worker's own message.

import { receiveMessageOnPort } from 'node:worker_threads'
import { scanKernel } from './scan_kernel.js'
import { checkScanRange } from './risk_evaluator.js'
import {
  CHUNK_ACCOUNTS, CHUNK_COUNT, CHUNKS, COMMAND, DONE, LAYOUT, NEXT_CHUNK, OP, OP_SCAN_BANDS, OP_STOP, READY, SCAN_ACCOUNTS, SLOT_INTS,
  STATUS, STATUS_ERROR, STATUS_OK, type Layout, type RiskWorkerTask, type WorkerError,
} from './risk_protocol.js'

/** Piscina task: serves scans on `task.slot` until OP_STOP. */
export default function serveRiskScans(task: RiskWorkerTask): number {
  const { control, port } = task
  const base = task.slot * SLOT_INTS
  let layout: Layout | null = null
  let seen = Atomics.load(control, base + COMMAND)
  Atomics.store(control, base + READY, 1)
  Atomics.notify(control, base + READY)
  let scans = 0
  for (;;) {
    Atomics.wait(control, base + COMMAND, seen)
    seen = Atomics.load(control, base + COMMAND)
    const op = Atomics.load(control, base + OP)
    if (op === OP_STOP) {
      port.close()
      return scans
    }
    try {
      if (Atomics.load(control, base + LAYOUT) === 1) {
        for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) layout = m.message as Layout
        Atomics.store(control, base + LAYOUT, 0)
      }
      if (layout === null) throw new Error('risk worker: scan before any layout')
      const band = op === OP_SCAN_BANDS ? layout.band : null
      const columns = layout.columns
      const kernel = scanKernel(columns)
      const scan = task.threads * SLOT_INTS
      const chunks = control[scan + CHUNKS] as number
      const chunkAccounts = control[scan + CHUNK_ACCOUNTS] as number
      const count = control[scan + SCAN_ACCOUNTS] as number
      for (let c = Atomics.add(control, scan + NEXT_CHUNK, 1); c < chunks; c = Atomics.add(control, scan + NEXT_CHUNK, 1)) {
        const from = c * chunkAccounts
        const to = Math.min(count, from + chunkAccounts)
        checkScanRange(columns, from, to, band)
        control[scan + CHUNK_COUNT + c] = kernel(columns, from, to, layout.accounts, layout.health, from, band, from)
      }
      control[base + STATUS] = STATUS_OK
      scans++
    } catch (error) {
      const message: WorkerError = { kind: 'error', message: error instanceof Error ? error.message : String(error) }
      port.postMessage(message)
      control[base + STATUS] = STATUS_ERROR
    }
    Atomics.store(control, base + DONE, seen)
    Atomics.notify(control, base + DONE)
  }
}
