// An example of a researcher's own agent, in one plain-JS file (docs/agents.md walks through it).
// A stop-loss trader: it opens a long of `leverage` × its equity, then watches the mark price
// (it subscribes to MarkPrice events) and sells everything as soon as the mark is `stopRate`
// below its entry — the resting stop orders that turn a drop into a burst of selling. After a
// stop it waits `reentryMs`, then buys again. Everything it knows comes from its view (prices
// and its own account); everything it does is a returned action; its only randomness is the
// stream it is given in start().
//
// Name it in a scenario:
//   agents:
//     - module: ./stop_loss_trader.js     # relative to the scenario file
//       count: 10
//       capital: 50000
//       params: { leverage: 4, stopRate: 0.02 }

/** @typedef {import('../../agents/agent.js').Agent} Agent */
/** @typedef {import('../../agents/agent.js').AgentAction} AgentAction */
/** @typedef {import('../../agents/agent.js').VenueView} VenueView */

/** @implements {Agent} */
export default class StopLossTrader {
  /**
   * @param {string} name  given by the world: `<entry name>-<k>`
   * @param {readonly number[]} accounts  the accounts it owns (one); its view sees only these
   * @param {{ instrument: number, leverage?: number, stopRate?: number, reentryMs?: number }} params
   *   the scenario entry's params; `instrument` is the entry's instrument index, filled in by the world
   */
  constructor(name, accounts, params) {
    this.name = name
    this.accounts = accounts
    this.subscriptions = ['MarkPrice'] // delivered to onEvent
    this.instrument = params.instrument
    this.leverage = params.leverage ?? 3
    this.stopRate = params.stopRate ?? 0.02
    this.reentryMs = params.reentryMs ?? 60_000
    this.entryTicks = 0 // mark when it bought (0 = flat)
    this.stoppedAtMs = -Infinity
  }

  /** Called once at t = 0. @param {VenueView} view @param {import('../../engine/prng.js').Prng} rng @returns {AgentAction} */
  start(view, rng) {
    return { wakeInMs: 1000 + rng.int(5000) } // staggered entries
  }

  /** Its own wake-ups: enter when flat and not just stopped out. @param {VenueView} view @returns {AgentAction} */
  onWake(view) {
    const account = this.accounts[0]
    const mark = view.markTicks(this.instrument)
    const flat = view.position(account, this.instrument) === 0
    if (!flat || mark <= 0 || view.nowMs - this.stoppedAtMs < this.reentryMs) return { wakeInMs: 5000 }
    const lotValue = mark * view.instrument(this.instrument).cashPerTickLot
    const lots = Math.floor((this.leverage * view.equity(account)) / lotValue)
    if (lots < 1) return { wakeInMs: 5000 }
    this.entryTicks = mark
    return { orders: [{ account, instrument: this.instrument, side: 'buy', type: 'market', priceTicks: 0, lots }], wakeInMs: 5000 }
  }

  /** Every mark price change: the stop. @param {VenueView} view @param {import('../../engine/events.js').VenueEvent} event */
  onEvent(view, event) {
    if (event.kind !== 'MarkPrice' || event.instrument !== this.instrument || this.entryTicks === 0) return
    if (event.priceTicks > this.entryTicks * (1 - this.stopRate)) return
    const account = this.accounts[0]
    const position = view.position(account, this.instrument)
    this.entryTicks = 0
    this.stoppedAtMs = view.nowMs
    if (position <= 0) return
    return { orders: [{ account, instrument: this.instrument, side: 'sell', type: 'market', priceTicks: 0, lots: position }] }
  }
}
