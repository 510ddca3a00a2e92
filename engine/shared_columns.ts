// Typed-array columns over SharedArrayBuffers: the memory a worker thread can read and write
// without a copy (account store, prices, risk scan outputs). At least one element, so a column
// of an empty store is still a valid view to post.

/** A zeroed Float64Array of `length` (≥ 1) elements over a SharedArrayBuffer. */
export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(Math.max(1, length) * Float64Array.BYTES_PER_ELEMENT))
}

/** A zeroed Int32Array of `length` (≥ 1) elements over a SharedArrayBuffer. */
export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Math.max(1, length) * Int32Array.BYTES_PER_ELEMENT))
}
