// Peak-to-trough drawdown of a price path with the times involved: the deepest fall from a
// running peak, and how long the path took from that peak to the trough.

/** Tracks the deepest peak-to-trough fall of a price series observed in time order. */
export class DrawdownTracker {
  private peak = -Infinity
  private peakMs = 0
  /** Deepest fall from a running peak, as a fraction of the peak. */
  worst = 0
  /** Simulated ms from the peak before the deepest trough to that trough. */
  timeToTroughMs = 0
  /** Price at the deepest trough (same units as added). */
  troughPrice = 0
  /** The peak before the deepest trough. */
  peakPrice = 0

  /** Adds the price at simulated time `tMs`. */
  add(price: number, tMs: number): void {
    if (price > this.peak) {
      this.peak = price
      this.peakMs = tMs
      return
    }
    if (!(this.peak > 0)) return
    const fall = (this.peak - price) / this.peak
    if (fall > this.worst) {
      this.worst = fall
      this.timeToTroughMs = tMs - this.peakMs
      this.troughPrice = price
      this.peakPrice = this.peak
    }
  }
}
