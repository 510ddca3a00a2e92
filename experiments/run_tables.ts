// The per-run tables of `cascadelab export`, filled in one pass over a journal's annotated
// events (analysis/annotated_event.ts: the same cascade tree and account ledger the summary
// uses): events (one row per event, typed columns, null where a field does not apply),
// liquidations (one row per closing outcome, with its step, generation, owner and taker),
// accounts (one row per account: setup and end state, liquidation, deficit). The time series
// table comes from analysis/run_series.ts. Column definitions: docs/METRICS.md.

import { assertNever } from '../engine/assert.js'
import type { VenueEvent } from '../engine/events.js'
import { INSURANCE_FUND_ACCOUNT, type VenueConfig } from '../engine/venue_config.js'
import type { AccountLedger } from '../analysis/account_ledger.js'
import type { AnnotatedEvent } from '../analysis/annotated_event.js'
import { closingOf } from '../analysis/liquidation_flow.js'
import type { RunSeries } from '../analysis/run_series.js'
import { quoteOf } from '../analysis/run_summary.js'
import { ParquetTable, type ColumnKind, type TableColumn } from './parquet_table.js'

const columns = (spec: string): TableColumn[] => spec.trim().split(/\s*,\s*/).map((item) => {
  const [name, kind] = item.split(/\s+/)
  return { name: name!, kind: kind as ColumnKind }
})

export const EVENT_COLUMNS = columns(`
  seq BIGINT, t_ms BIGINT, cause BIGINT, kind TEXT, generation INTEGER, account INTEGER, counterparty INTEGER,
  instrument INTEGER, asset INTEGER, side TEXT, price DOUBLE, exogenous_price DOUBLE, price_ticks INTEGER, lots INTEGER,
  notional DOUBLE, amount DOUBLE, quantity DOUBLE, rate DOUBLE, taker_fee DOUBLE, maker_fee DOUBLE, liquidation BOOLEAN,
  equity DOUBLE, maintenance_margin DOUBLE, detail TEXT, ref BIGINT, due_ms BIGINT, rank INTEGER`)
export const LIQUIDATION_COLUMNS = columns(`
  seq BIGINT, t_ms BIGINT, step BIGINT, step_mode TEXT, generation INTEGER, account INTEGER, owner INTEGER,
  compartment BOOLEAN, cause BIGINT, taker TEXT, instrument INTEGER, lots INTEGER, price DOUBLE, notional DOUBLE`)
export const ACCOUNT_COLUMNS = columns(`
  account INTEGER, owner INTEGER, mode TEXT, deposited DOUBLE, start_equity DOUBLE, start_notional DOUBLE,
  end_equity DOUBLE, end_cash DOUBLE, end_notional DOUBLE, loss DOUBLE, min_health DOUBLE, liquidation_steps INTEGER,
  liquidated BOOLEAN, first_liquidation_ms BIGINT, liquidated_notional DOUBLE, negative_equity BOOLEAN, deficit DOUBLE`)
export const SERIES_COLUMNS = columns(`
  t_ms BIGINT, external_price DOUBLE, exogenous_price DOUBLE, oracle_price DOUBLE, mark_price DOUBLE,
  insurance_fund DOUBLE, bad_debt DOUBLE, liquidations INTEGER, liquidated_notional DOUBLE`)

const col = (list: readonly TableColumn[]) => Object.fromEntries(list.map((c, k) => [c.name, k])) as Record<string, number>
const E = col(EVENT_COLUMNS)
const L = col(LIQUIDATION_COLUMNS)
const A = col(ACCOUNT_COLUMNS)

interface AccountFacts {
  mode: string
  startEquity: number | null
  startNotional: number | null
  minHealth: number | null
  steps: number
  firstLiquidationMs: number | null
  liquidatedNotional: number
  /** Largest −equity seen at a step or at the end (cash units). */
  deficit: number
}

/** Fills the events, liquidations and accounts tables from annotated events in seq order. */
export class RunTables {
  readonly events = new ParquetTable('events', EVENT_COLUMNS)
  readonly liquidations = new ParquetTable('liquidations', LIQUIDATION_COLUMNS)
  readonly accounts = new ParquetTable('accounts', ACCOUNT_COLUMNS)
  private readonly facts: AccountFacts[] = []
  private readonly cashPerTickLot: number[]
  private started = false

  constructor(readonly venue: VenueConfig) {
    this.money = quoteOf(venue)
    this.cashPerTickLot = venue.instruments.map((x) => x.cashPerTickLot)
  }

  /** Call with each event before it is applied: the first event after setup (t > 0) snapshots every account. */
  beforeEvent(e: VenueEvent, ledger: AccountLedger): void {
    if (this.started || e.t <= 0) return
    this.started = true
    for (let a = 0; a < ledger.accounts; a++) {
      const facts = this.facts[a]!
      facts.startEquity = ledger.equity(a)
      facts.startNotional = ledger.grossNotional(a)
      this.noteHealth(a, ledger.health(a))
    }
  }

  /** Adds one annotated event. */
  add(annotated: AnnotatedEvent): void {
    const e = annotated.event
    if (e.kind === 'OpenAccount') {
      this.facts[e.account] = {
        mode: e.mode, startEquity: null, startNotional: null, minHealth: null, steps: 0, firstLiquidationMs: null, liquidatedNotional: 0, deficit: 0,
      }
    } else if (e.kind === 'Liquidation') {
      const facts = this.facts[e.account]!
      facts.steps++
      facts.firstLiquidationMs ??= e.t
      if (e.maintenanceMargin > 0) this.noteHealth(e.account, e.equity / e.maintenanceMargin)
      if (e.equity < 0) facts.deficit = Math.max(facts.deficit, -e.equity)
    }
    this.eventRow(annotated)
    this.liquidationRow(annotated)
  }

  /** Writes one row per account from the ledger after the last event. */
  finishAccounts(ledger: AccountLedger): void {
    const t = this.accounts
    const money = this.money
    for (let a = 0; a < ledger.accounts; a++) {
      const facts = this.facts[a]!
      const equity = ledger.equity(a)
      this.noteHealth(a, ledger.health(a))
      if (a === INSURANCE_FUND_ACCOUNT) facts.deficit = 0 // the fund's shortfalls are the fund statement's business
      else if (equity < 0) facts.deficit = Math.max(facts.deficit, -equity)
      t.set(A.account!, a); t.set(A.owner!, ledger.ownerOf(a)); t.text(A.mode!, a === INSURANCE_FUND_ACCOUNT ? 'insurance_fund' : facts.mode)
      t.set(A.deposited!, money(ledger.depositedBy(a)))
      t.set(A.start_equity!, facts.startEquity === null ? null : money(facts.startEquity))
      t.set(A.start_notional!, facts.startNotional === null ? null : money(facts.startNotional))
      t.set(A.end_equity!, money(equity)); t.set(A.end_cash!, money(ledger.balanceOf(a, 0))); t.set(A.end_notional!, money(ledger.grossNotional(a)))
      t.set(A.loss!, money(ledger.depositedBy(a) - equity)); t.set(A.min_health!, facts.minHealth)
      t.set(A.liquidation_steps!, facts.steps); t.set(A.liquidated!, facts.steps > 0); t.set(A.first_liquidation_ms!, facts.firstLiquidationMs)
      t.set(A.liquidated_notional!, money(facts.liquidatedNotional)); t.set(A.negative_equity!, facts.deficit > 0); t.set(A.deficit!, money(facts.deficit))
      t.endRow()
    }
  }

  /** Cash units → quote currency (6 decimals, as in summary.json). */
  readonly money: (cash: number) => number

  private noteHealth(a: number, health: number | null): void {
    const facts = this.facts[a]!
    if (health !== null && (facts.minHealth === null || health < facts.minHealth)) facts.minHealth = health
  }


  private liquidationRow({ event: e, tree, ledger, generation }: AnnotatedEvent): void {
    const closing = closingOf(e, this.cashPerTickLot)
    if (closing === null) return
    const t = this.liquidations
    const stepSeq = tree.stepSeqBehind(e.seq)
    const owner = ledger.ownerOf(closing.account)
    this.facts[closing.account]!.liquidatedNotional += closing.notional
    t.set(L.seq!, e.seq); t.set(L.t_ms!, e.t); t.set(L.step!, stepSeq < 0 ? null : stepSeq)
    const step = stepSeq < 0 ? undefined : tree.step(stepSeq)
    if (step) t.text(L.step_mode!, step.mode)
    t.set(L.generation!, generation < 0 ? null : generation); t.set(L.account!, closing.account); t.set(L.owner!, owner)
    t.set(L.compartment!, owner !== closing.account); t.set(L.cause!, e.cause < 0 ? null : e.cause); t.text(L.taker!, closing.taker)
    t.set(L.instrument!, closing.instrument); t.set(L.lots!, closing.lots)
    t.set(L.price!, closing.priceTicks * this.venue.instruments[closing.instrument]!.tickSize); t.set(L.notional!, this.money(closing.notional))
    t.endRow()
  }

  private eventRow({ event: e, generation }: AnnotatedEvent): void {
    const t = this.events
    t.set(E.seq!, e.seq); t.set(E.t_ms!, e.t); t.set(E.cause!, e.cause < 0 ? null : e.cause); t.text(E.kind!, e.kind)
    t.set(E.generation!, generation < 0 ? null : generation)
    if ('account' in e) t.set(E.account!, e.account)
    if ('instrument' in e && e.instrument >= 0) t.set(E.instrument!, e.instrument)
    if ('asset' in e) t.set(E.asset!, e.asset)
    if ('side' in e) t.text(E.side!, e.side)
    if ('lots' in e) t.set(E.lots!, e.lots)
    if ('priceTicks' in e) this.price(e.priceTicks, 'instrument' in e ? e.instrument : -1, 'asset' in e ? e.asset : -1)
    if ('amount' in e && e.kind !== 'Deposit' && e.kind !== 'Transfer') t.set(E.amount!, this.money(e.amount))
    // fields that mean the same wherever they appear: an order or auction referred to, a reason, a transfer's other side
    if ('orderId' in e) t.set(E.ref!, e.orderId)
    if ('auction' in e) t.set(E.ref!, e.auction)
    if ('reason' in e) t.text(E.detail!, e.reason)
    if ('to' in e) t.set(E.counterparty!, e.to)
    eventDetails(this, e)
    t.endRow()
  }

  /** Price columns from ticks of an instrument (or, for asset prices, of an asset). */
  price(ticks: number, instrument: number, asset: number): void {
    const tick = instrument >= 0 ? this.venue.instruments[instrument]!.tickSize : this.venue.assets[asset]!.priceTick
    this.events.set(E.price_ticks!, ticks)
    this.events.set(E.price!, ticks * tick)
  }

  /** Notional (quote) of a trade-like event. */
  notional(instrument: number, lots: number, ticks: number): void {
    this.events.set(E.notional!, this.money(lots * ticks * this.cashPerTickLot[instrument]!))
  }

  /** An asset amount: quote money for the cash asset, quantity in the asset's unit for every asset. */
  assetAmount(asset: number, units: number): void {
    if (asset === 0) this.events.set(E.amount!, this.money(units))
    this.events.set(E.quantity!, units * this.venue.assets[asset]!.unit)
  }
}

/** The kind-specific columns of an event row (the common ones are set by eventRow). */
function eventDetails(tables: RunTables, e: VenueEvent): void {
  const t = tables.events
  switch (e.kind) {
    case 'OpenAccount':
      if (e.parent >= 0) t.set(E.counterparty!, e.parent)
      return t.text(E.detail!, e.mode)
    case 'Deposit':
      return tables.assetAmount(e.asset, e.amount)
    case 'Transfer':
      return tables.assetAmount(e.asset, e.amount)
    case 'BlockTrade':
      t.set(E.account!, e.buyer); t.set(E.counterparty!, e.seller); t.text(E.side!, 'buy')
      return tables.notional(e.instrument, e.lots, e.priceTicks)
    case 'PlaceOrder':
      return t.text(E.detail!, e.type)
    case 'ExternalPrice':
      return t.set(E.exogenous_price!, e.exogenousTicks * tables.venue.assets[e.asset]!.priceTick)
    case 'ExternalTrade': // signed lots in the event: a side and a size here, like every other row
      t.text(E.side!, e.lots > 0 ? 'buy' : 'sell')
      return t.set(E.lots!, Math.abs(e.lots))
    case 'OracleStatus':
      return t.text(E.detail!, e.status)
    case 'LiquidationDeferred': case 'LiquidationAuction': case 'LiquidatorTakeover': case 'LiquidatorReward': case 'AutoDeleverage': case 'SocializedLoss':
      return liquidationDetails(tables, e)
    case 'Fill':
      t.set(E.account!, e.taker); t.set(E.counterparty!, e.maker); t.set(E.ref!, e.makerOrderId < 0 ? null : e.makerOrderId)
      t.set(E.taker_fee!, tables.money(e.takerFee)); t.set(E.maker_fee!, tables.money(e.makerFee)); t.set(E.liquidation!, e.liquidation)
      return tables.notional(e.instrument, e.lots, e.priceTicks)
    case 'Liquidation':
      t.set(E.equity!, tables.money(e.equity)); t.set(E.maintenance_margin!, tables.money(e.maintenanceMargin))
      return t.text(E.detail!, e.mode)
    case 'FundUnwind': // the fund's unwind order: its limit price
      t.set(E.account!, INSURANCE_FUND_ACCOUNT)
      return tables.price(e.limitTicks, e.instrument, -1)
    case 'Underwater':
      t.set(E.equity!, tables.money(e.equity))
      return t.set(E.maintenance_margin!, tables.money(e.maintenanceMargin))
    case 'DeficitResolved':
      return t.set(E.amount!, tables.money(e.deficit))
    case 'BackstopTakeover':
      t.set(E.counterparty!, INSURANCE_FUND_ACCOUNT)
      return tables.notional(e.instrument, e.lots, e.priceTicks)
    case 'LiquidationPenalty': case 'FundPayout':
      return t.set(E.counterparty!, INSURANCE_FUND_ACCOUNT)
    case 'CollateralSeized':
      t.set(E.counterparty!, INSURANCE_FUND_ACCOUNT)
      return t.set(E.quantity!, e.units * tables.venue.assets[e.asset]!.unit)
    case 'FundingRate':
      t.set(E.rate!, e.rate)
      return tables.price(e.markTicks, e.instrument, -1)
    case 'OraclePrice': case 'MarketTick': case 'LiquidationWake': case 'MarkPrice': case 'BadDebt': case 'FundingPayment':
    case 'CancelOrder': case 'OrderRested': case 'OrderCancelled': case 'OrderRejected': case 'TransferRejected':
    case 'LiquidatorBid': case 'LiquidatorBidRejected':
      return undefined // eventRow's common columns say all there is
    default:
      return assertNever(e)
  }
}

type LiquidationMachinery = Extract<VenueEvent, { kind: 'LiquidationDeferred' | 'LiquidationAuction'
  | 'LiquidatorTakeover' | 'LiquidatorReward' | 'AutoDeleverage' | 'SocializedLoss' }>

/** The kind-specific columns of the auction, takeover and deficit events. */
function liquidationDetails(tables: RunTables, e: LiquidationMachinery): void {
  const t = tables.events
  switch (e.kind) {
    case 'LiquidationDeferred':
      return t.set(E.due_ms!, e.dueMs)
    case 'LiquidationAuction':
      t.set(E.rate!, e.rewardRate); t.set(E.due_ms!, e.endsMs)
      return tables.price(e.markTicks, e.instrument, -1)
    case 'LiquidatorTakeover':
      t.set(E.counterparty!, e.liquidator)
      return tables.notional(e.instrument, e.lots, e.priceTicks)
    case 'LiquidatorReward':
      return t.set(E.counterparty!, e.liquidator)
    case 'AutoDeleverage':
      t.set(E.counterparty!, e.bankrupt); t.set(E.rank!, e.rank)
      return tables.notional(e.instrument, e.lots, e.priceTicks)
    case 'SocializedLoss':
      return t.set(E.counterparty!, e.bankrupt)
    default:
      return assertNever(e)
  }
}

/** Writes the time series rows into `table`. */
export function fillSeries(table: ParquetTable, series: RunSeries): void {
  for (const r of series.rows) {
    const values = [r.tMs, r.external, r.exogenous, r.oracle, r.mark, r.insuranceFund, r.badDebt, r.liquidations, r.liquidatedNotional]
    values.forEach((v, k) => table.set(k, v))
    table.endRow()
  }
}
