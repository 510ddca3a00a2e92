// A driver that delivers a fixed list of inputs at fixed times: account setup, scripted orders
// in tests, shocks. Inputs with equal times arrive in list order.

import type { EventKind, InputEvent } from './events.js'
import type { Driver, DriverContext } from './simulation.js'

export interface ScriptedInput {
  atMs: number
  input: InputEvent
}

/** Schedules `script` at start; does nothing else. */
export class ScriptDriver implements Driver {
  readonly subscriptions: readonly EventKind[] = []

  constructor(readonly name: string, private readonly script: readonly ScriptedInput[]) {}

  start(context: DriverContext): void {
    for (const { atMs, input } of this.script) context.schedule(input, atMs)
  }
}
