// The loop. Drivers (agents, the price process, the oracle network, setup) schedule inputs and
// wake-ups; the loop pops them in (t, ticket) order, stamps each input with the next seq,
// applies it to the venue, hands input + outcomes to the journal sink and to the drivers that
// subscribed to those kinds, and writes a checkpoint (state digest) every `checkpointEvery`
// events. Drivers act only by scheduling: an action decided at t reaches the venue at t' ≥ t.

import { assert, fail } from './assert.js'
import type { EventKind, InputEvent, VenueEvent } from './events.js'
import { stateDigest } from './state_digest.js'
import type { Venue } from './venue.js'
import { VenueView } from './venue_view.js'
import { Scheduler } from './scheduler.js'

/** What a driver may do: read the venue, schedule inputs and wake-ups. */
export interface DriverContext {
  /** Unscoped read-only view (drivers hand scoped views to their agents). */
  readonly view: VenueView
  /** Current simulated time (ms). */
  now(): number
  /** Delivers `input` to the venue at simulated time `atMs` (≥ now). */
  schedule(input: InputEvent, atMs: number): void
  /** Calls this driver's onWake at `atMs` (≥ now). */
  wakeAt(atMs: number): void
}

/** Anything outside the venue that acts over time. */
export interface Driver {
  readonly name: string
  /** Event kinds delivered to onEvent. */
  readonly subscriptions: readonly EventKind[]
  start(context: DriverContext): void
  onWake?(nowMs: number): void
  onEvent?(event: VenueEvent): void
  /** After all events of one input were delivered (only if this driver received any). */
  onBatchEnd?(nowMs: number): void
}

/** Where the loop writes events and checkpoints (the journal, metrics, checkers). */
export interface EventSink {
  event(event: VenueEvent): void
  checkpoint(seq: number, t: number, digest: string): void
  batchEnd?(t: number): void
}

export interface SimulationOptions {
  /** Last simulated ms to process (inclusive). */
  endMs: number
  /** Checkpoint after the first batch that takes the event count this far past the previous one. */
  checkpointEvery: number
  sinks?: EventSink[]
  /** Called every `progressEvery` inputs with the simulated time. */
  onProgress?: (nowMs: number) => void
  progressEvery?: number
}

export interface SimulationResult {
  events: number
  inputs: number
  lastSeq: number
  endMs: number
  digest: string
}

type Item = InputEvent | number

/** Runs drivers against a venue until `endMs`. */
export class Simulation {
  private readonly scheduler = new Scheduler<Item>(4096)
  private readonly clock = { now: 0 }
  private readonly view: VenueView
  private readonly subscribers = new Map<EventKind, number[]>()
  private readonly received: boolean[]
  private readonly receivedList: number[] = []
  private readonly sinks: EventSink[]
  private lastCheckpointSeq = 0

  constructor(readonly venue: Venue, readonly drivers: readonly Driver[], readonly options: SimulationOptions) {
    assert(options.checkpointEvery >= 1, 'simulation: checkpointEvery >= 1')
    this.view = new VenueView(venue, this.clock, null)
    this.sinks = options.sinks ?? []
    this.received = drivers.map(() => false)
    drivers.forEach((driver, index) => {
      for (const kind of driver.subscriptions) {
        const list = this.subscribers.get(kind) ?? []
        list.push(index)
        this.subscribers.set(kind, list)
      }
    })
  }

  /** Runs to the end time; returns counts and the final state digest. */
  run(): SimulationResult {
    this.drivers.forEach((driver, index) => driver.start(this.contextFor(index)))
    const { endMs, onProgress } = this.options
    const progressEvery = this.options.progressEvery ?? 10_000
    let inputs = 0
    while (this.scheduler.peekTime() <= endMs) {
      this.clock.now = this.scheduler.peekTime()
      const item = this.scheduler.pop()
      if (typeof item === 'number') {
        this.drivers[item]!.onWake?.(this.clock.now)
        continue
      }
      this.dispatch(item)
      if (++inputs % progressEvery === 0) onProgress?.(this.clock.now)
    }
    const digest = stateDigest(this.venue)
    return { events: this.venue.nextSeq, inputs, lastSeq: this.venue.nextSeq - 1, endMs, digest }
  }

  private dispatch(input: InputEvent): void {
    const venue = this.venue
    input.t = this.clock.now
    venue.apply(input)
    this.deliver(input)
    const outbox = venue.outbox
    for (let k = 0; k < outbox.length; k++) this.deliver(outbox[k] as VenueEvent)
    for (const sink of this.sinks) sink.batchEnd?.(input.t)
    for (const index of this.receivedList) {
      this.received[index] = false
      this.drivers[index]!.onBatchEnd?.(input.t)
    }
    this.receivedList.length = 0
    if (venue.nextSeq - this.lastCheckpointSeq >= this.options.checkpointEvery) {
      this.lastCheckpointSeq = venue.nextSeq
      const digest = stateDigest(venue)
      for (const sink of this.sinks) sink.checkpoint(venue.nextSeq - 1, input.t, digest)
    }
  }

  private deliver(event: VenueEvent): void {
    for (const sink of this.sinks) sink.event(event)
    const list = this.subscribers.get(event.kind)
    if (list === undefined) return
    for (const index of list) {
      this.drivers[index]!.onEvent?.(event)
      if (!this.received[index]) {
        this.received[index] = true
        this.receivedList.push(index)
      }
    }
  }

  private contextFor(index: number): DriverContext {
    const scheduler = this.scheduler
    const clock = this.clock
    return {
      view: this.view,
      now: () => clock.now,
      schedule(input, atMs) {
        if (!(atMs >= clock.now)) fail(`driver ${index}: scheduled input in the past (${atMs} < ${clock.now})`)
        scheduler.push(atMs, input)
      },
      wakeAt(atMs) {
        if (!(atMs >= clock.now)) fail(`driver ${index}: wake-up in the past (${atMs} < ${clock.now})`)
        scheduler.push(atMs, index)
      },
    }
  }
}
