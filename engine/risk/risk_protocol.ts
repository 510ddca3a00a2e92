// The protocol between the pooled risk evaluator and its workers. A scan must happen inside the
// engine's synchronous apply(), so the main thread cannot await a promise: each worker runs one
// long Piscina task that serves scans until told to stop, and the two sides talk through a
// shared Int32Array (Atomics.wait/notify) plus a MessagePort read with receiveMessageOnPort
// (synchronous on both ends) for what cannot live in an Int32: new column buffers after the
// store grew, and a worker's error message.
//
// A scan is cut into chunks of contiguous accounts that the workers claim one at a time from a
// shared counter, so a worker that the OS descheduled (the machine is shared) holds up one chunk,
// not half the scan. Each chunk's results go to the output arrays at the chunk's first account;
// the main thread merges the chunks in chunk order, which is account order.
//
//   control[slot·SLOT_INTS + …]          one slot per worker
//     COMMAND   main bumps it to hand a command over (worker waits on it)
//     DONE      worker sets it to COMMAND's value when finished (main waits on it)
//     OP        SCAN | SCAN_BANDS | STOP
//     STATUS    OK | ERROR (the message follows on the port)
//     LAYOUT    1 if a Layout message is waiting on the port
//     READY     1 once the worker serves
//   control[threads·SLOT_INTS + …]       the scan, shared by all workers
//     NEXT_CHUNK  the next chunk to claim (Atomics.add)
//     CHUNKS, CHUNK_ACCOUNTS, SCAN_ACCOUNTS   chunk c covers [c·CHUNK_ACCOUNTS, min(SCAN_ACCOUNTS, …))
//     CHUNK_COUNT + c   unhealthy accounts found in chunk c

import type { MessagePort } from 'node:worker_threads'
import type { RiskColumns } from './risk_columns.js'

export const SLOT_INTS = 16
export const COMMAND = 0
export const DONE = 1
export const OP = 2
export const STATUS = 3
export const LAYOUT = 4
export const READY = 5

/** Offsets in the scan area, after the workers' slots. */
export const NEXT_CHUNK = 0
export const CHUNKS = 1
export const CHUNK_ACCOUNTS = 2
export const SCAN_ACCOUNTS = 3
export const CHUNK_COUNT = 4
/** Chunks per worker in a large scan (more balance against descheduling; fewer hand-offs). */
export const CHUNKS_PER_THREAD = 8
/** The smallest chunk (accounts): below it a claim costs more than the work balances. */
export const CHUNK_ACCOUNTS_MIN = 8192

/** Ints of the control array for `threads` workers. */
export function controlInts(threads: number): number {
  return threads * SLOT_INTS + CHUNK_COUNT + threads * CHUNKS_PER_THREAD + 1
}

export const OP_SCAN = 1
export const OP_SCAN_BANDS = 2
export const OP_STOP = 3

export const STATUS_OK = 0
export const STATUS_ERROR = 1

/** The one task a risk worker runs: serve scans on `slot` until OP_STOP. */
export interface RiskWorkerTask {
  control: Int32Array
  slot: number
  /** Workers in the pool (the scan area follows their slots). */
  threads: number
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
