// The scenario: a complete description of one simulated world, in human units (USD, BTC,
// fractions, simulated ms). This schema is the single place where every default is written;
// `cascadelab scenario --print-defaults` prints them. Unknown keys and bad values are rejected
// with the file, the field path, the value and what was expected.

import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { parse as parseYaml } from 'yaml'
import { UserError } from './errors.js'
import { schemaError } from './schema_error.js'

const rate = (description: string) => z.number().min(0).max(1).describe(description)
const positive = (description: string) => z.number().positive().describe(description)
const count = (description: string) => z.number().int().min(0).describe(description)
const ms = (description: string) => z.number().int().min(0).describe(description)

const latencySchema = z.strictObject({
  minMs: ms('minimum latency from decision to venue (ms)').default(20),
  jitterMs: ms('extra latency, uniform in [0, jitterMs] (ms)').default(30),
})

const instrumentSchema = z.strictObject({
  symbol: z.string().min(1).default('BTC-PERP'),
  tickSize: positive('quote currency per price tick').default(1),
  lotSize: positive('base asset per lot').default(0.001),
  initialMarginRate: rate('initial margin / notional (1 / max leverage)').default(0.02),
  maintenanceMarginRate: rate('maintenance margin / notional').default(0.01),
  marketOrderBandRate: rate('market orders fill at most this fraction from mark').default(0.05),
  liquidationBandRate: rate('liquidation orders fill at most this fraction from mark; the backstop takes the rest').default(0.03),
  liquidationPenaltyRate: rate('penalty on liquidated notional, paid to the insurance fund').default(0.01),
})

const venueSchema = z.strictObject({
  cashAsset: z.string().min(1).default('USD'),
  cashUnit: positive('quote currency per integer cash unit').default(0.001),
  takerFeeRate: rate('taker fee / notional').default(0.0005),
  makerFeeRate: rate('maker fee / notional').default(0),
  cascadeRoundsMax: z.number().int().min(1).default(100_000),
  insuranceFund: z.number().min(0).describe('initial insurance fund (quote currency)').default(250_000),
  instrument: instrumentSchema.default(instrumentSchema.parse({})),
})

const shockSchema = z.strictObject({
  atMs: ms('start of the shock (simulated ms)'),
  drop: z.number().gt(-1).lt(1).describe('fraction of the price removed (negative = rise)'),
  durationMs: ms('the drop is spread over this long').default(0),
})

const priceSchema = z.strictObject({
  start: positive('start price (quote currency)').default(60_000),
  stepMs: z.number().int().min(1).describe('time between random-walk steps (ms)').default(1000),
  volatilityPerStep: rate('standard deviation of the relative change per step').default(0.0002),
  shocks: z.array(shockSchema).default([{ atMs: 600_000, drop: 0.08, durationMs: 30_000 }]),
  impactTicksPerLot: z.number().min(0).describe('external price move per lot of net liquidation flow (ticks)').default(0.02),
  impactDelayMs: ms('delay before liquidation flow moves the external price').default(100),
})

const oracleSchema = z.strictObject({
  latencyMs: ms('publication delay').default(500),
  heartbeatMs: z.number().int().min(1).describe('maximum time between publications (ms)').default(3000),
  deviationRate: rate('relative move that triggers an early publication').default(0.0005),
})

const marketMakersSchema = z.strictObject({
  count: count('number of market makers').default(3),
  capital: z.number().min(0).describe('deposit per market maker (quote currency)').default(3_000_000),
  levels: z.number().int().min(1).describe('price levels per side').default(30),
  spacingTicks: z.number().int().min(1).default(10),
  halfSpreadTicks: z.number().int().min(1).default(5),
  lotsPerLevel: z.number().int().min(1).default(300),
  refreshMs: z.number().int().min(1).default(1000),
  maxInventoryLots: z.number().int().min(0).default(60_000),
  latency: latencySchema.default({ minMs: 20, jitterMs: 30 }),
})

const noiseTradersSchema = z.strictObject({
  count: count('number of noise traders').default(20),
  capital: z.number().min(0).describe('deposit per noise trader (quote currency)').default(100_000),
  meanIntervalMs: positive('mean time between orders (ms)').default(3000),
  lotsMax: z.number().int().min(1).default(50),
  maxLeverage: positive('above this leverage a noise trader only reduces').default(5),
  latency: latencySchema.default({ minMs: 50, jitterMs: 200 }),
})

const populationSchema = z.strictObject({
  pairs: count('long/short pairs of passive leveraged accounts').default(2000),
  lotsMin: z.number().int().min(1).default(10),
  lotsMax: z.number().int().min(1).default(400),
  leverageMin: z.number().min(1).default(2),
  leverageMax: z.number().min(1).default(25),
})

export const scenarioSchema = z.strictObject({
  name: z.string().min(1).default('default'),
  description: z.string().default('BTC-PERP, 4,000 passive leveraged accounts, an 8% exogenous drop at minute 10'),
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(1),
  durationMs: z.number().int().min(1).describe('simulated time (ms)').default(1_800_000),
  checkpointEvery: z.number().int().min(1).describe('events between state-digest checkpoints').default(10_000),
  venue: venueSchema.default(venueSchema.parse({})),
  price: priceSchema.default(priceSchema.parse({})),
  oracle: oracleSchema.default(oracleSchema.parse({})),
  marketMakers: marketMakersSchema.default(marketMakersSchema.parse({})),
  noiseTraders: noiseTradersSchema.default(noiseTradersSchema.parse({})),
  population: populationSchema.default(populationSchema.parse({})),
})

export type Scenario = z.infer<typeof scenarioSchema>

/** The embedded default scenario. */
export function defaultScenario(): Scenario {
  return scenarioSchema.parse({})
}

/** Validates a parsed scenario object; `source` names it in errors (a file path). */
export function parseScenario(raw: unknown, source: string): Scenario {
  const result = scenarioSchema.safeParse(raw)
  if (!result.success) throw schemaError(source, raw, result.error)
  const scenario = result.data
  const checks: [boolean, string][] = [
    [scenario.population.lotsMin <= scenario.population.lotsMax, 'population.lotsMin must be <= population.lotsMax'],
    [scenario.population.leverageMin <= scenario.population.leverageMax, 'population.leverageMin must be <= population.leverageMax'],
    [scenario.venue.instrument.initialMarginRate >= scenario.venue.instrument.maintenanceMarginRate,
      'venue.instrument.initialMarginRate must be >= maintenanceMarginRate'],
    [scenario.venue.instrument.maintenanceMarginRate > 0, 'venue.instrument.maintenanceMarginRate must be > 0'],
  ]
  for (const [ok, message] of checks) if (!ok) throw new UserError(`${source}: ${message}`)
  return scenario
}

/** Reads and validates a scenario file (.json, .yaml or .yml). */
export function loadScenarioFile(file: string): Scenario {
  return parseScenario(readDataFile(file, 'scenario'), file)
}

/** Reads a .json, .yaml or .yml file into plain data; unreadable or malformed files are UserErrors. */
export function readDataFile(file: string, what: string): unknown {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new UserError(`${file}: cannot read ${what} file (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
  }
  try {
    return file.endsWith('.json') ? JSON.parse(text) : parseYaml(text)
  } catch (error) {
    throw new UserError(`${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`)
  }
}
