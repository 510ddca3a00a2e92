// What a scenario may ask for before anything runs: money that stays exact, and sizes that fit in
// memory. Money is integer cash units in doubles, exact up to 2^53 (9.0e15); value conservation
// sums every account's cash and position value, so the money a run can hold — deposits plus the
// population's notional, with headroom for prices that move and fees — must stay well below it.
// Sizes: a world of N accounts takes ~1.5 KB per account (docs/BENCHMARKS.md), and a ladder of L
// levels rests 2·L orders per maker; past the limits below a run would die of memory, not report.
// Every violation is one line naming the field, the value, the limit and (for sizes) an estimate.

import type { VenueConfig } from '../engine/venue_config.js'
import { UserError } from './errors.js'
import { usesImpactModels } from './market_scenario.js'
import type { DistributionSpec, Scenario } from './scenario.js'

/** Largest money (cash units) a scenario may put in play: 2^53 / 64, room for ×8 price moves and sums over accounts. */
export const CASH_UNITS_MAX = 2 ** 53 / 64
/** Bytes per account of a world (struct-of-arrays columns, index records, population setup). */
const BYTES_PER_ACCOUNT = 1500
const ACCOUNTS_MAX = 10_000_000
const AGENTS_PER_ENTRY_MAX = 100_000
const LADDER_LEVELS_MAX = 10_000

interface Stake { field: string; quote: number }

/** Throws a UserError for the first limit `scenario` breaks (money in `config`'s cash units). */
export function checkScenarioLimits(scenario: Scenario, config: VenueConfig): void {
  checkSizes(scenario)
  checkMoney(scenario, config)
}

function checkSizes(scenario: Scenario): void {
  const sizes: [string, number, number][] = [
    ['population.pairs', scenario.population.pairs * 2, ACCOUNTS_MAX],
    ...scenario.populations.map((p, n): [string, number, number] => [`populations.${n}.count`, p.accounts?.length ?? p.count, ACCOUNTS_MAX]),
    ['marketMakers.count', scenario.marketMakers.count, AGENTS_PER_ENTRY_MAX],
    ['noiseTraders.count', scenario.noiseTraders.count, AGENTS_PER_ENTRY_MAX],
    ['arbitrageurs.count', scenario.arbitrageurs.count, AGENTS_PER_ENTRY_MAX],
    ['liquidators.count', scenario.liquidators.count, AGENTS_PER_ENTRY_MAX],
    ...scenario.agents.map((a, n): [string, number, number] => [`agents.${n}.count`, a.count, AGENTS_PER_ENTRY_MAX]),
  ]
  for (const [field, accounts, max] of sizes) {
    if (accounts > max) {
      const gb = (accounts * BYTES_PER_ACCOUNT) / 1e9
      throw new UserError(`scenario ${scenario.name}: ${field}: ${accounts.toLocaleString('en-US')} accounts would need about ${gb.toFixed(gb < 10 ? 1 : 0)} GB (≈${BYTES_PER_ACCOUNT} bytes each); at most ${max.toLocaleString('en-US')}`)
    }
  }
  if (scenario.marketMakers.levels > LADDER_LEVELS_MAX) {
    throw new UserError(`scenario ${scenario.name}: marketMakers.levels: ${scenario.marketMakers.levels} levels per side; at most ${LADDER_LEVELS_MAX.toLocaleString('en-US')}`)
  }
}

/** Deposits and population notional, in quote currency, with the field each comes from. */
function stakes(scenario: Scenario, config: VenueConfig): Stake[] {
  const instrument = config.instruments[0]!
  const startQuote = scenario.price.start
  const lotQuote = (instrument.contractSize * instrument.lotSize) * startQuote
  const p = scenario.population
  const out: Stake[] = [
    { field: 'venue.insuranceFund', quote: scenario.venue.insuranceFund },
    { field: 'marketMakers.capital', quote: scenario.marketMakers.count * Math.max(1, scenario.marketMakers.instruments?.length ?? 1) * scenario.marketMakers.capital },
    { field: 'noiseTraders.capital', quote: scenario.noiseTraders.count * scenario.noiseTraders.capital },
    { field: 'arbitrageurs.capital', quote: scenario.arbitrageurs.count * scenario.arbitrageurs.capital },
    { field: 'liquidators.capital', quote: scenario.liquidators.count * scenario.liquidators.capital },
    { field: 'markets.counterpartyCapital', quote: usesImpactModels(scenario, config) ? scenario.markets.counterpartyCapital : 0 },
    // a pair is two accounts of at most lotsMax lots each; deposits never exceed the notional (leverage ≥ 1)
    { field: 'population.lotsMax', quote: 2 * p.pairs * p.lotsMax * lotQuote * 2 },
    ...scenario.agents.map((a, n) => ({ field: `agents.${n}.capital`, quote: a.count * a.capital })),
    ...scenario.populations.map((spec, n) => ({
      field: `populations.${n}.collateral`,
      quote: (spec.accounts?.reduce((sum, a) => sum + a.collateral * (1 + a.leverage), 0)
        ?? spec.count * largest(spec.collateral) * (1 + largest(spec.leverage))),
    })),
  ]
  return out
}

function checkMoney(scenario: Scenario, config: VenueConfig): void {
  const all = stakes(scenario, config)
  const totalQuote = all.reduce((sum, s) => sum + s.quote, 0)
  const totalCash = totalQuote / config.cashUnit
  if (Number.isFinite(totalCash) && totalCash <= CASH_UNITS_MAX) return
  const worst = all.reduce((a, b) => (b.quote > a.quote ? b : a))
  const limitQuote = CASH_UNITS_MAX * config.cashUnit
  throw new UserError(
    `scenario ${scenario.name}: ${worst.field}: the run would hold ${fmt(totalQuote)} in quote currency (most of it here), `
    + `${fmt(totalCash)} cash units at venue.cashUnit ${config.cashUnit}; money stays exact only below ${fmt(CASH_UNITS_MAX)} cash units `
    + `(2^53/64), i.e. ${fmt(limitQuote)} at this cash unit: lower the amounts or raise venue.cashUnit`,
  )
}

/** A practical upper value of a distribution: its value, its largest mixed value, or a lognormal's max (else median·e^6σ). */
function largest(d: DistributionSpec): number {
  if (d.value !== undefined) return d.value
  if (d.mix !== undefined) return Math.max(...d.mix.map((m) => m.value))
  return d.max ?? d.median! * Math.exp(6 * d.sigma!)
}

const fmt = (x: number): string => (Number.isFinite(x) ? x.toPrecision(3) : String(x))
