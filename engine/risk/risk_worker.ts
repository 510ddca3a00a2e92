// A risk worker (Piscina): serves full-scan shards over the shared columns until told to stop.
// It runs one long task (risk_protocol.ts): wait for a command, scan [FROM, TO) with the same
// kernel as the sequential evaluator, write results into the shared output arrays at FROM,
// report, repeat. An exception is reported to the main thread (message on the port, STATUS
// ERROR) instead of ending the task, so the run fails with the worker's own message.

import { receiveMessageOnPort } from 'node:worker_threads'
import { scanKernel } from './scan_kernel.js'
import { checkScanRange } from './risk_evaluator.js'
import {
  COMMAND, COUNT, DONE, FROM, LAYOUT, OP, OP_SCAN_BANDS, OP_STOP, READY, SLOT_INTS, STATUS, STATUS_ERROR, STATUS_OK, TO,
  type Layout, type RiskWorkerTask, type WorkerError,
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
      const from = control[base + FROM] as number
      const to = control[base + TO] as number
      const band = op === OP_SCAN_BANDS ? layout.band : null
      checkScanRange(layout.columns, from, to, band)
      control[base + COUNT] = scanKernel(layout.columns)(layout.columns, from, to, layout.accounts, layout.health, from, band, from)
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
