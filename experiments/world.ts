// Builds a runnable world from a scenario: the venue configuration (in ticks, lots and cash
// units), account ids, and the drivers in the order they start — setup, external price,
// oracle, population positions, market makers, noise traders. Every random stream is derived
// from (seed, name).

import { deposit, openAccount, type InputEvent } from '../engine/events.js'
import { Oracle } from '../engine/market/oracle.js'
import { PriceProcess } from '../engine/market/price_process.js'
import { Prng } from '../engine/prng.js'
import { ScriptDriver } from '../engine/script_driver.js'
import type { Driver } from '../engine/simulation.js'
import { Venue } from '../engine/venue.js'
import { cashPerTickLot, INSURANCE_FUND_ACCOUNT, type VenueConfig } from '../engine/venue_config.js'
import { AgentDriver } from '../agents/agent_driver.js'
import { MarketMaker } from '../agents/market_maker.js'
import { NoiseTrader } from '../agents/noise_trader.js'
import { generatePopulation } from '../agents/population.js'
import { UserError } from './errors.js'
import type { Scenario } from './scenario.js'

export interface AccountGroups {
  fund: number
  marketMakers: number[]
  noiseTraders: number[]
  population: number[]
}

export interface World {
  venue: Venue
  venueConfig: VenueConfig
  drivers: Driver[]
  accounts: AccountGroups
  startTicks: number
}

/** Venue configuration in engine units derived from a scenario. */
export function venueConfigOf(scenario: Scenario): VenueConfig {
  const { venue } = scenario
  const instrument = venue.instrument
  let cpt: number
  try {
    cpt = cashPerTickLot(instrument.tickSize, instrument.lotSize, venue.cashUnit)
  } catch (error) {
    throw new UserError(`scenario ${scenario.name}: venue.instrument: ${(error as Error).message}`)
  }
  return {
    cashAsset: venue.cashAsset,
    cashUnit: venue.cashUnit,
    instruments: [{ ...instrument, cashPerTickLot: cpt }],
    takerFeeRate: venue.takerFeeRate,
    makerFeeRate: venue.makerFeeRate,
    cascadeRoundsMax: venue.cascadeRoundsMax,
  }
}

/** Instantiates the venue and every driver of `scenario` for `seed`. */
export function buildWorld(scenario: Scenario, seed: number): World {
  const venueConfig = venueConfigOf(scenario)
  const instrument = venueConfig.instruments[0]!
  const cash = (quote: number): number => Math.round(quote / venueConfig.cashUnit)
  const startTicks = Math.max(1, Math.round(scenario.price.start / instrument.tickSize))
  const setup: InputEvent[] = []
  let nextAccount = 0
  const open = (quoteDeposit: number): number => {
    const account = nextAccount++
    setup.push(openAccount(0, account))
    if (cash(quoteDeposit) > 0) setup.push(deposit(0, account, cash(quoteDeposit)))
    return account
  }
  const fund = open(scenario.venue.insuranceFund)
  if (fund !== INSURANCE_FUND_ACCOUNT) throw new Error('world: the fund must be account 0')
  const mm = scenario.marketMakers
  const marketMakers = Array.from({ length: mm.count }, () => open(mm.capital))
  const nt = scenario.noiseTraders
  const noiseTraders = Array.from({ length: nt.count }, () => open(nt.capital))
  const population = generatePopulation(
    { instrument: 0, ...scenario.population }, new Prng(seed, 'population'), nextAccount, startTicks, instrument.cashPerTickLot,
  )
  const populationAccounts = population.inputs.filter((input) => input.kind !== 'BlockTrade')
  const populationTrades = population.inputs.filter((input) => input.kind === 'BlockTrade')
  setup.push(...populationAccounts)

  // Start order = arrival order at t = 0: accounts, the first external and oracle prices (so a
  // mark exists), then the population's positions, then the agents.
  const drivers: Driver[] = [
    new ScriptDriver('setup', setup.map((input) => ({ atMs: 0, input }))),
    new PriceProcess({
      instrument: 0, startTicks, stepMs: scenario.price.stepMs, volatilityPerStep: scenario.price.volatilityPerStep,
      shocks: [...scenario.price.shocks].sort((x, y) => x.atMs - y.atMs),
      impactTicksPerLot: scenario.price.impactTicksPerLot, impactDelayMs: scenario.price.impactDelayMs,
    }, new Prng(seed, 'price-process')),
    new Oracle({ instrument: 0, ...scenario.oracle }, startTicks),
    new ScriptDriver('population', populationTrades.map((input) => ({ atMs: 0, input }))),
  ]
  marketMakers.forEach((account, k) => {
    const name = `market-maker-${k}`
    const agent = new MarketMaker(name, [account], { instrument: 0, ...mm })
    drivers.push(new AgentDriver(agent, new Prng(seed, name), mm.latency))
  })
  noiseTraders.forEach((account, k) => {
    const name = `noise-trader-${k}`
    const agent = new NoiseTrader(name, [account], { instrument: 0, ...nt })
    drivers.push(new AgentDriver(agent, new Prng(seed, name), nt.latency))
  })
  return {
    venue: new Venue(venueConfig), venueConfig, drivers, startTicks,
    accounts: { fund, marketMakers, noiseTraders, population: population.accounts },
  }
}
