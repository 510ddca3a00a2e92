// The protocol between the pooled risk evaluator and its workers. A scan must happen inside the
// engine's synchronous apply(), so the main thread cannot await a promise: each worker runs one
// long Piscina task that serves scans until told to stop, and the two sides talk through a
// shared Int32Array (Atomics.wait/notify) plus a MessagePort read with receiveMessageOnPort
// (synchronous on both ends) for what cannot live in an Int32: new column buffers after the
// store grew, and a worker's error message.
//
//   control[slot·SLOT_INTS + …]
//     COMMAND   main bumps it to hand a command over (worker waits on it)
//     DONE      worker sets it to COMMAND's value when finished (main waits on it)
//     OP        SCAN | SCAN_BANDS | STOP
//     FROM, TO  the shard: accounts [FROM, TO)
//     COUNT     unhealthy accounts found, written at index FROM of the shared output arrays
//     STATUS    OK | ERROR (the message follows on the port)
//     LAYOUT    1 if a Layout message is waiting on the port
//     READY     1 once the worker serves

import type { MessagePort } from 'node:worker_threads'
import type { RiskColumns } from './risk_columns.js'

export const SLOT_INTS = 16
export const COMMAND = 0
export const DONE = 1
export const OP = 2
export const FROM = 3
export const TO = 4
export const COUNT = 5
export const STATUS = 6
export const LAYOUT = 7
export const READY = 8

export const OP_SCAN = 1
export const OP_SCAN_BANDS = 2
export const OP_STOP = 3

export const STATUS_OK = 0
export const STATUS_ERROR = 1

/** The one task a risk worker runs: serve scans on `slot` until OP_STOP. */
export interface RiskWorkerTask {
  control: Int32Array
  slot: number
  port: MessagePort
}

/** The buffers of the next scans (all shared memory). */
export interface Layout {
  kind: 'layout'
  columns: RiskColumns
  accounts: Int32Array
  health: Float64Array
  band: Float64Array | null
}

/** A worker's error, sent before it reports STATUS_ERROR. */
export interface WorkerError {
  kind: 'error'
  message: string
}
