// `cascadelab margin FILE.json`: the margin calculator. Evaluates described accounts under a venue
// preset (with field-by-field overrides) and prints equity, requirements, margin ratio, health,
// and per-position notional, unrealised PnL, maintenance margin, liquidation and bankruptcy price.
// No simulation: it loads the accounts into an AccountStore and runs the engine's MarginModel and
// liquidation-price functions on them — the same code the simulation uses, so anyone can check
// the engine against a venue's own numbers. The file format is in docs/margin.md.
//
// An account is a cross pool; each position with `isolatedMargin` (all of them in mode
// "isolated") is an isolated compartment of it. Account figures sum the pools (equity, IM, MM);
// health is the lowest pool health and marginRatio the highest pool ratio — the pool that is
// liquidated first. Money is in the settlement asset, prices in quote per base unit; numbers
// are rounded to 12 significant digits; null where a price or ratio does not exist.

import { readFileSync } from 'node:fs'
import type { Command } from 'commander'
import { z } from 'zod'
import { AccountStore } from '../../engine/margin/account_store.js'
import { bankruptcyPriceTicks, liquidationPriceTicks } from '../../engine/margin/liquidation_price.js'
import { MarginModel } from '../../engine/margin/margin.js'
import { PRESET_NAMES, resolveVenue, VenueRuleError, type VenueOverrides } from '../../engine/margin/venue_presets.js'
import type { VenueConfig } from '../../engine/venue_config.js'
import { UserError } from '../errors.js'
import { valueAt } from '../schema_error.js'

const positive = z.number().positive()
const fraction = z.number().min(0).max(1)

const tierSchema = z.strictObject({
  maxNotional: positive.optional(), mmr: fraction.optional(), imr: fraction.optional(),
  maintenanceAmount: z.number().min(0).optional(), maxLeverage: z.number().min(1).optional(),
})
const instrumentSchema = z.strictObject({
  base: z.string().min(1).optional(), quote: z.string().min(1).optional(),
  tickSize: positive.optional(), contractSize: positive.optional(), lotSize: positive.optional(),
  tiers: z.array(tierSchema).min(1).optional(), maxLeverage: z.number().min(1).optional(),
  imr: fraction.optional(), mmr: fraction.optional(),
})
const assetSchema = z.strictObject({ haircut: fraction.optional(), sizePremium: z.number().min(0).optional(), unit: positive.optional() })
/** Largest position notional (quote currency) the calculator accepts: its sums stay exact in doubles. */
const NOTIONAL_MAX = 1e12
const positionSchema = z.strictObject({
  instrument: z.string().min(1),
  qty: z.number().refine((x) => x !== 0, 'must be non-zero (signed: long > 0, short < 0)'),
  entryPrice: positive,
  isolatedMargin: z.number().min(0).optional(),
}).superRefine((p, context) => {
  const notional = Math.abs(p.qty * p.entryPrice)
  if (!(notional <= NOTIONAL_MAX)) context.addIssue({ code: 'custom', path: ['qty'], message: `notional |qty × entryPrice| = ${notional.toPrecision(3)} is above ${NOTIONAL_MAX.toExponential(0)}` })
})
const accountSchema = z.strictObject({
  id: z.string().min(1),
  mode: z.enum(['cross', 'isolated']).default('cross'),
  collateral: z.record(z.string(), z.number().min(0)).default({}),
  positions: z.array(positionSchema).default([]),
})
const fileSchema = z.strictObject({
  venue: z.enum(PRESET_NAMES as [string, ...string[]]).default('generic'),
  prices: z.record(z.string(), positive),
  instruments: z.record(z.string(), instrumentSchema).default({}),
  collateral: z.record(z.string(), assetSchema).default({}),
  accounts: z.array(accountSchema).min(1).superRefine((accounts, context) => {
    const first = new Map<string, number>()
    accounts.forEach((a, k) => {
      const earlier = first.get(a.id)
      if (earlier === undefined) first.set(a.id, k)
      else context.addIssue({ code: 'custom', path: [k, 'id'], message: `duplicate id (also accounts[${earlier}])` })
    })
  }),
})

type MarginFile = z.infer<typeof fileSchema>

export interface PositionReport {
  instrument: string
  notional: number
  unrealizedPnl: number
  maintenanceMargin: number
  liquidationPrice: number | null
  bankruptcyPrice: number | null
}

export interface AccountReport {
  id: string
  equity: number
  initialMargin: number
  maintenanceMargin: number
  marginRatio: number | null
  health: number | null
  positions: PositionReport[]
}

/** Evaluates a parsed margin file; `source` names it in errors. */
export function evaluateMarginFile(raw: unknown, source: string): { accounts: AccountReport[] } {
  const parsed = fileSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new UserError(`${source}: ${jsonPath(issue.path)}: ${issue.message}${shownValue(raw, issue.path)}`)
  }
  const file = parsed.data
  const config = venueOf(file, source)
  const { store, model, pools } = loadAccounts(file, config, source)
  return { accounts: file.accounts.map((account, n) => reportAccount(account.id, pools[n]!, model, store, config)) }
}

/** The venue rules: the preset, the file's overrides, every instrument and collateral asset it uses. */
function venueOf(file: MarginFile, source: string): VenueConfig {
  const symbols = Object.keys(file.instruments)
  for (const account of file.accounts) for (const p of account.positions) if (!symbols.includes(p.instrument)) symbols.push(p.instrument)
  if (symbols.length === 0) throw new UserError(`${source}: accounts: no positions and no instruments to evaluate`)
  const assets: VenueOverrides['assets'] = { ...file.collateral }
  for (const account of file.accounts) for (const symbol of Object.keys(account.collateral)) assets[symbol] ??= {}
  try {
    const config = resolveVenue(file.venue, {
      instruments: symbols.map((symbol) => ({ symbol, rules: file.instruments[symbol] })), assets,
    })
    const cash = file.prices[config.cashAsset]
    if (cash !== undefined && cash !== 1) throw new UserError(`${source}: prices.${config.cashAsset}: the settlement asset's price is 1 (got ${cash})`)
    return config
  } catch (error) {
    if (error instanceof VenueRuleError) throw new UserError(`${source}: ${error.message}`)
    throw error
  }
}

/** One cross pool per account plus one isolated compartment per isolated position. */
function loadAccounts(file: MarginFile, config: VenueConfig, source: string) {
  const instruments = config.instruments.length
  const store = new AccountStore(instruments, config.assets.length, 16)
  const model = new MarginModel(config)
  config.assets.forEach((asset, k) => {
    if (k === 0) return
    const price = file.prices[asset.symbol]
    if (price === undefined) throw new UserError(`${source}: prices.${asset.symbol}: missing (needed to value ${asset.symbol})`)
    model.assetPriceTicks[k] = price / asset.priceTick
  })
  config.instruments.forEach((x, i) => { model.markTicks[i] = model.assetPriceTicks[x.baseAsset]! })
  const pools = file.accounts.map((account, n) => {
    const path = `accounts[${n}]`
    const parent = store.open()
    for (const [symbol, amount] of Object.entries(account.collateral)) {
      const k = config.assets.findIndex((x) => x.symbol === symbol)
      store.credit(parent, k, amount / config.assets[k]!.unit)
    }
    const positions = account.positions.map((p, m) => {
      const where = `${path}.positions[${m}]`
      const i = config.instruments.findIndex((x) => x.symbol === p.instrument)
      const isolated = p.isolatedMargin !== undefined
      if (account.mode === 'isolated' && !isolated) throw new UserError(`${source}: ${where}.isolatedMargin: required in an isolated account`)
      const pool = isolated ? store.open(parent, i) : parent
      if (store.position(pool, i) !== 0) throw new UserError(`${source}: ${where}.instrument: a second cross position in ${p.instrument} (one net position per instrument)`)
      if (isolated) store.credit(pool, 0, p.isolatedMargin! / config.cashUnit)
      const instrument = config.instruments[i]!
      const lots = p.qty / (instrument.contractSize * instrument.lotSize)
      const entryTicks = p.entryPrice / instrument.tickSize
      store.positionLots[pool * instruments + i] = lots
      store.entryCostTicks[pool * instruments + i] = lots * entryTicks
      store.credit(pool, 0, -lots * entryTicks * instrument.cashPerTickLot)
      return { pool, instrument: i }
    })
    return { parent, positions }
  })
  return { store, model, pools }
}

function reportAccount(
  id: string, pools: { parent: number; positions: { pool: number; instrument: number }[] },
  model: MarginModel, store: AccountStore, config: VenueConfig,
): AccountReport {
  const money = (cash: number) => round(cash * config.cashUnit)
  const price = (i: number, ticks: number) => (Number.isNaN(ticks) ? null : round(ticks * config.instruments[i]!.tickSize))
  const units = [pools.parent, ...pools.positions.map((p) => p.pool).filter((p) => p !== pools.parent)]
  let equity = 0
  let initial = 0
  let maintenance = 0
  let health = Infinity
  let ratio = 0
  for (const a of units) {
    equity += model.equity(store, a)
    initial += model.initialMargin(store, a)
    maintenance += model.maintenanceMargin(store, a)
    health = Math.min(health, model.health(store, a))
    ratio = Math.max(ratio, model.marginRatio(store, a))
  }
  return {
    id,
    equity: money(equity),
    initialMargin: money(initial),
    maintenanceMargin: money(maintenance),
    marginRatio: Number.isFinite(ratio) ? round(ratio) : null,
    health: Number.isFinite(health) ? round(health) : null,
    positions: pools.positions.map(({ pool, instrument: i }) => ({
      instrument: config.instruments[i]!.symbol,
      notional: money(model.notional(store, pool, i)),
      unrealizedPnl: money(model.unrealizedPnl(store, pool, i)),
      maintenanceMargin: money(model.requirements.maintenance(i, model.notional(store, pool, i))),
      liquidationPrice: price(i, liquidationPriceTicks(model, store, pool, i)),
      bankruptcyPrice: price(i, bankruptcyPriceTicks(model, store, pool, i)),
    })),
  }
}

function round(x: number): number {
  return Number(x.toPrecision(12))
}

/** `accounts[0].positions[1].qty` from a zod issue path. */
function jsonPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)'
  return path.map((key, n) => (typeof key === 'number' ? `[${key}]` : `${n === 0 ? '' : '.'}${String(key)}`)).join('')
}

function shownValue(raw: unknown, path: readonly PropertyKey[]): string {
  const value = valueAt(raw, path)
  return value === undefined ? '' : ` (got ${JSON.stringify(value)})`
}

/** Reads and evaluates a margin file. */
export function runMarginFile(file: string): { accounts: AccountReport[] } {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new UserError(`${file}: cannot read margin file (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    throw new UserError(`${file}: not valid JSON: ${(error as Error).message.split('\n')[0]}`)
  }
  return evaluateMarginFile(raw, file)
}

/** Registers `margin` on the program. */
export function registerMargin(program: Command): void {
  program
    .command('margin')
    .description('margin calculator: evaluate accounts described in a JSON file under a venue preset (no simulation); prints JSON')
    .argument('<file>', 'JSON file: { venue, prices, instruments?, collateral?, accounts } (see docs/margin.md)')
    .addHelpText('after', `
Input (instruments and collateral override the preset's fields: tiers, maxLeverage, imr, mmr, haircut):
  { "venue": "binance-usdm", "prices": { "BTC": 60000, "USDT": 1 },
    "collateral": { "BTC": { "haircut": 0.05 } },
    "accounts": [ { "id": "a1", "mode": "cross", "collateral": { "USDT": 10000 },
      "positions": [ { "instrument": "BTC-PERP", "qty": 0.5, "entryPrice": 58000 } ] } ] }
  Isolated positions give "isolatedMargin" (required on every position in mode "isolated").
Output:
  { "accounts": [ { "id", "equity", "initialMargin", "maintenanceMargin", "marginRatio", "health",
    "positions": [ { "instrument", "notional", "unrealizedPnl", "maintenanceMargin",
      "liquidationPrice", "bankruptcyPrice" } ] } ] }     (null where a price does not exist)
Presets: ${PRESET_NAMES.join(', ')}

Example:
  cascadelab margin accounts.json`)
    .action((file: string) => {
      process.stdout.write(`${JSON.stringify(runMarginFile(file), null, 2)}\n`)
    })
}
