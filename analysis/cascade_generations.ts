// Liquidation generations from the cause chain. Every event names its cause (an earlier seq),
// so one pass in seq order can carry, for each event, the generation of the nearest
// liquidation behind it: generation 0 is a liquidation with no liquidation among its causes
// (an exogenous price move), generation k+1 one whose chain passes through a generation-k
// liquidation (via its fills, their external price impact, the oracle and the mark).

import type { VenueEvent } from '../engine/events.js'

const NONE = -1

/** Streams events in seq order and answers "which generation is behind event seq?". */
export class CascadeGenerations {
  private generationBehind = new Int16Array(1 << 16).fill(NONE)

  /** Records `event`; returns its generation if it is a Liquidation, else the one behind it (-1: none). */
  add(event: VenueEvent): number {
    if (event.seq >= this.generationBehind.length) this.grow(event.seq + 1)
    const behind = event.cause >= 0 ? this.behind(event.cause) : NONE
    const generation = event.kind === 'Liquidation' ? behind + 1 : behind
    this.generationBehind[event.seq] = generation
    return generation
  }

  /** Generation carried by event `seq` (-1 if no liquidation is behind it). */
  behind(seq: number): number {
    return seq < this.generationBehind.length ? (this.generationBehind[seq] as number) : NONE
  }

  private grow(minimum: number): void {
    let size = this.generationBehind.length * 2
    while (size < minimum) size *= 2
    const next = new Int16Array(size).fill(NONE)
    next.set(this.generationBehind)
    this.generationBehind = next
  }
}
