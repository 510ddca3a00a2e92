// Builds a runnable world from a scenario: the venue configuration (in ticks, lots and cash
// units), account ids, and the drivers in the order they start — setup, then an external price
// process and an oracle per non-cash asset (in asset order), population positions, market
// makers, noise traders, liquidators. The liquidation clock turns the venue's requests for a
// later look at an account into inputs. Every random stream is derived from (seed, name). Market
// makers and noise traders trade the primary (first) instrument; the population trades its own;
// liquidators bid in every auction (their accounts come after the population's).

import { deposit, openAccount, type InputEvent } from '../engine/events.js'
import { LiquidationClock } from '../engine/liquidation/liquidation_clock.js'
import { Oracle } from '../engine/market/oracle.js'
import { PriceProcess } from '../engine/market/price_process.js'
import { Prng } from '../engine/prng.js'
import { ScriptDriver } from '../engine/script_driver.js'
import type { Driver } from '../engine/simulation.js'
import { Venue } from '../engine/venue.js'
import { INSURANCE_FUND_ACCOUNT, type VenueConfig } from '../engine/venue_config.js'
import { AgentDriver } from '../agents/agent_driver.js'
import { MarketMaker } from '../agents/market_maker.js'
import { NoiseTrader } from '../agents/noise_trader.js'
import { Liquidator } from '../agents/liquidator.js'
import { generatePopulation } from '../agents/population.js'
import { UserError } from './errors.js'
import { venueConfigOf, type Scenario } from './scenario.js'

export { venueConfigOf }

export interface AccountGroups {
  fund: number
  marketMakers: number[]
  noiseTraders: number[]
  /** Accounts holding the population's positions (compartments in isolated mode). */
  population: number[]
  /** The population's top-level accounts (the same as `population` in cross mode). */
  populationOwners: number[]
  liquidators: number[]
}

export interface World {
  venue: Venue
  venueConfig: VenueConfig
  drivers: Driver[]
  accounts: AccountGroups
  /** Start price of the primary instrument (ticks). */
  startTicks: number
  /** Start price of each asset (its ticks; 1 for the cash asset). */
  assetStartTicks: number[]
}

/** Instantiates the venue and every driver of `scenario` for `seed`. */
export function buildWorld(scenario: Scenario, seed: number): World {
  const venueConfig = venueConfigOf(scenario)
  const assetStartTicks = startPrices(scenario, venueConfig)
  const cash = (quote: number): number => Math.round(quote / venueConfig.cashUnit)
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
  const population = buildPopulation(scenario, venueConfig, assetStartTicks, seed, nextAccount)
  setup.push(...population.inputs.filter((input) => input.kind !== 'BlockTrade'))
  nextAccount = population.accounts.reduce((next, a) => Math.max(next, a + 1), nextAccount)
  const lq = scenario.liquidators
  const liquidators = Array.from({ length: lq.count }, () => open(lq.capital))

  // Start order = arrival order at t = 0: accounts, the first external and oracle prices (so
  // marks exist), then the population's positions, then the agents.
  const drivers: Driver[] = [new ScriptDriver('setup', setup.map((input) => ({ atMs: 0, input }))), new LiquidationClock()]
  drivers.push(...priceDrivers(scenario, venueConfig, assetStartTicks, seed))
  drivers.push(new ScriptDriver('population', population.inputs.filter((input) => input.kind === 'BlockTrade').map((input) => ({ atMs: 0, input }))))
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
  liquidators.forEach((account, k) => {
    const name = `liquidator-${k}`
    drivers.push(new AgentDriver(new Liquidator(name, [account], lq), new Prng(seed, name), lq.latency))
  })
  const primaryBase = venueConfig.instruments[0]!.baseAsset
  return {
    venue: new Venue(venueConfig), venueConfig, drivers, startTicks: assetStartTicks[primaryBase]!, assetStartTicks,
    accounts: { fund, marketMakers, noiseTraders, population: population.accounts, populationOwners: population.owners, liquidators },
  }
}

/** Start price (ticks) of every asset: price.start for the primary instrument's base, price.startByAsset for the others. */
function startPrices(scenario: Scenario, config: VenueConfig): number[] {
  const primaryBase = config.instruments[0]!.baseAsset
  return config.assets.map((asset, k) => {
    if (k === 0) return 1
    const quote = k === primaryBase ? scenario.price.start : scenario.price.startByAsset[asset.symbol]
    if (quote === undefined) throw new UserError(`scenario ${scenario.name}: price.startByAsset.${asset.symbol}: a start price is required for asset ${asset.symbol}`)
    return Math.max(1, Math.round(quote / asset.priceTick))
  })
}

/** An external price process and an oracle for every non-cash asset; the primary keeps the stream names "price-process" and "oracle". */
function priceDrivers(scenario: Scenario, config: VenueConfig, startTicks: number[], seed: number): Driver[] {
  const primaryBase = config.instruments[0]!.baseAsset
  const drivers: Driver[] = []
  config.assets.forEach((asset, k) => {
    if (k === 0) return
    const suffix = k === primaryBase ? '' : `-${asset.symbol}`
    const impactInstruments = config.instruments.flatMap((x, i) => (x.baseAsset === k ? [i] : []))
    drivers.push(new PriceProcess({
      asset: k, impactInstruments, startTicks: startTicks[k]!, stepMs: scenario.price.stepMs,
      volatilityPerStep: scenario.price.volatilityPerStep,
      shocks: [...scenario.price.shocks].sort((x, y) => x.atMs - y.atMs),
      impactTicksPerLot: scenario.price.impactTicksPerLot, impactDelayMs: scenario.price.impactDelayMs,
    }, new Prng(seed, `price-process${suffix}`), `price-process${suffix}`))
    drivers.push(new Oracle({ asset: k, ...scenario.oracle }, startTicks[k]!, `oracle${suffix}`))
  })
  return drivers
}

/** The passive population's setup inputs, on its instrument, with its margin mode and collateral. */
function buildPopulation(scenario: Scenario, config: VenueConfig, startTicks: number[], seed: number, firstAccount: number) {
  const p = scenario.population
  const symbol = p.instrument ?? config.instruments[0]!.symbol
  const instrument = config.instruments.findIndex((x) => x.symbol === symbol)
  if (instrument < 0) throw new UserError(`scenario ${scenario.name}: population.instrument: "${symbol}" is not a listed instrument`)
  const collateral = Object.entries(p.collateral).map(([assetSymbol, share]) => {
    const asset = config.assets.findIndex((x) => x.symbol === assetSymbol)
    if (asset <= 0) throw new UserError(`scenario ${scenario.name}: population.collateral.${assetSymbol}: not a non-cash asset of the venue`)
    return { asset, share, cashPerUnit: startTicks[asset]! * config.assets[asset]!.cashPerTickUnit }
  })
  const config_i = config.instruments[instrument]!
  return generatePopulation(
    { ...p, instrument, collateral }, new Prng(seed, 'population'), firstAccount,
    startTicks[config_i.baseAsset]!, config_i.cashPerTickLot,
  )
}
