// Builds a runnable world from a scenario: the venue configuration (in ticks, lots and cash
// units), account ids, and the drivers in the order they start — setup, then an external price
// process and an oracle per non-cash asset (in asset order), the venue's market clock (when
// funding or a book-based mark needs it), population positions, market makers, noise traders,
// arbitrageurs, liquidators. The liquidation clock turns the venue's requests for a later look at
// an account into inputs. Every random stream is derived from (seed, name). Market makers quote
// their listed instruments (default: the primary); noise traders and arbitrageurs trade the
// primary (arbitrageurs: or their own); the population trades its own; liquidators bid in every
// auction. Accounts: the fund (0), makers, noise traders, arbitrageurs, the impact models'
// counterparty (if any), the population, liquidators, then the `agents:` entries in order
// (built-in types or researchers' modules, loaded beforehand by experiments/agent_modules.ts),
// then each `populations:` entry (its counterparty, then its traders).

import { readFileSync } from 'node:fs'
import { deposit, openAccount, type InputEvent } from '../engine/events.js'
import { MarketClock } from '../engine/market/market_clock.js'
import { LiquidationClock } from '../engine/liquidation/liquidation_clock.js'
import { Oracle } from '../engine/market/oracle.js'
import { parsePricePath, PricePathError, type PricePath } from '../engine/market/price_path.js'
import { pathInTicks, PriceProcess } from '../engine/market/price_process.js'
import type { PropagatorConfig } from '../engine/market/propagator.js'
import { Prng } from '../engine/prng.js'
import { ScriptDriver } from '../engine/script_driver.js'
import type { Driver } from '../engine/simulation.js'
import { Venue } from '../engine/venue.js'
import { INSURANCE_FUND_ACCOUNT, type VenueConfig } from '../engine/venue_config.js'
import { AgentDriver } from '../agents/agent_driver.js'
import { Arbitrageur } from '../agents/arbitrageur.js'
import { MarketMaker } from '../agents/market_maker.js'
import { NoiseTrader } from '../agents/noise_trader.js'
import { Liquidator } from '../agents/liquidator.js'
import { generatePopulation } from '../agents/population.js'
import { generateDistributedPopulation, type Distribution } from '../agents/population_distribution.js'
import { PopulationStartError, startsHealthy, type StartHealthCount, type StartMargin } from '../agents/population_health.js'
import { MarginModel } from '../engine/margin/margin.js'
import type { Agent } from '../agents/agent.js'
import { BasisTrader } from '../agents/basis_trader.js'
import { PanicSeller } from '../agents/panic_seller.js'
import { TrendFollower } from '../agents/trend_follower.js'
import { ValueTrader } from '../agents/value_trader.js'
import { assertNever } from '../engine/assert.js'
import type { z } from 'zod'
import type { AgentFactory, AgentModules } from './agent_modules.js'
import { UserError } from './errors.js'
import {
  assetOracleOf, assetPriceOf, checkAssetOverrides, checkPriceManipulation, counterpartyAccountOf, makerInstrumentsOf, usesImpactModels,
} from './market_scenario.js'
import { AGENT_PARAMS, agentEntryName, venueConfigOf, type AgentType, type DistributionSpec, type Scenario } from './scenario.js'

export { venueConfigOf }

export interface AccountGroups {
  fund: number
  marketMakers: number[]
  noiseTraders: number[]
  arbitrageurs: number[]
  /** The account taking the other side of impact-model fills, or -1. */
  impactCounterparty: number
  /** Accounts holding the population's positions (compartments in isolated mode). */
  population: number[]
  /** The population's top-level accounts (the same as `population` in cross mode). */
  populationOwners: number[]
  liquidators: number[]
  /** Accounts of each `agents:` entry, in entry order. */
  agents: number[][]
  /** Each `populations:` entry: its position accounts, their top-level owners, and its counterparty. */
  populations: { accounts: number[]; owners: number[]; counterparty: number }[]
}

export interface World {
  venue: Venue
  venueConfig: VenueConfig
  drivers: Driver[]
  accounts: AccountGroups
  /** Accounts the setup opens (ids 0 … accountCount − 1). */
  accountCount: number
  /** Start price of the primary instrument (ticks). */
  startTicks: number
  /** Start price of each asset (its ticks; 1 for the cash asset). */
  assetStartTicks: number[]
  /** Modelling choices the researcher allowed explicitly and the summary must state. */
  warnings: string[]
  /** Per population (`population`, then `populations.<n>`): what the start-health check did (agents/population_health.ts). */
  startHealth: PopulationStartHealth[]
}

export interface PopulationStartHealth extends StartHealthCount {
  field: string
  startHealthMin: number
  allowUnhealthyStart: boolean
}

/** Instantiates the venue and every driver of `scenario` for `seed`; `modules`: the scenario's agent modules, loaded. */
export function buildWorld(scenario: Scenario, seed: number, modules: AgentModules = new Map()): World {
  const venueConfig = venueConfigOf(scenario)
  checkAssetOverrides(scenario, venueConfig)
  const warnings = checkPriceManipulation(scenario, venueConfig)
  const paths = recordedPaths(scenario, venueConfig)
  const assetStartTicks = startPrices(scenario, venueConfig, paths)
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
  const quoted = makerInstrumentsOf(scenario, venueConfig)
  const marketMakers = quoted.flatMap(() => Array.from({ length: mm.count }, () => open(mm.capital)))
  const nt = scenario.noiseTraders
  const noiseTraders = Array.from({ length: nt.count }, () => open(nt.capital))
  const arb = scenario.arbitrageurs
  const arbitrageurs = Array.from({ length: arb.count }, () => open(arb.capital))
  let impactCounterparty = -1
  if (usesImpactModels(scenario, venueConfig)) {
    impactCounterparty = open(scenario.markets.counterpartyCapital)
    if (impactCounterparty !== counterpartyAccountOf(scenario, venueConfig)) throw new Error('world: impact counterparty account id mismatch')
  }
  const population = buildPopulation(scenario, venueConfig, assetStartTicks, seed, nextAccount)
  for (const input of population.inputs) if (input.kind !== 'BlockTrade') setup.push(input) // no spread: populations have millions of inputs
  nextAccount = population.accounts.reduce((next, a) => Math.max(next, a + 1), nextAccount)
  const lq = scenario.liquidators
  const liquidators = Array.from({ length: lq.count }, () => open(lq.capital))
  const agentAccounts = scenario.agents.map((entry, n) => Array.from({ length: entry.count }, () => {
    const account = open(entry.capital)
    for (const [symbol, amount] of Object.entries(entry.collateral)) {
      const asset = venueConfig.assets.findIndex((x) => x.symbol === symbol)
      if (asset <= 0) throw new UserError(`scenario ${scenario.name}: agents.${n}.collateral.${symbol}: not a non-cash asset of the venue`)
      const units = Math.round(amount / venueConfig.assets[asset]!.unit)
      if (units > 0) setup.push(deposit(0, account, units, asset))
    }
    return account
  }))

  const populations = scenario.populations.map((_, n) => {
    const built = buildDistributedPopulation(scenario, venueConfig, assetStartTicks, seed, nextAccount, n)
    for (const input of built.inputs) if (input.kind !== 'BlockTrade') setup.push(input)
    nextAccount = built.accounts.reduce((next, a) => Math.max(next, a + 1), built.counterparty + 1)
    return built
  })

  // Start order = arrival order at t = 0: accounts, the first external and oracle prices (so
  // marks exist), then the population's positions, then the agents.
  const drivers: Driver[] = [new ScriptDriver('setup', setup.map((input) => ({ atMs: 0, input }))), new LiquidationClock()]
  drivers.push(...priceDrivers(scenario, venueConfig, assetStartTicks, paths, seed))
  const clock = new MarketClock(venueConfig.markets ?? [])
  if (clock.needed) drivers.push(clock)
  const entries = [population, ...populations].flatMap((p) => p.inputs.filter((input) => input.kind === 'BlockTrade'))
  drivers.push(new ScriptDriver('population', entries.map((input) => ({ atMs: 0, input }))))
  quoted.forEach((instrument, n) => {
    const symbol = venueConfig.instruments[instrument]!.symbol
    marketMakers.slice(n * mm.count, (n + 1) * mm.count).forEach((account, k) => {
      const name = instrument === 0 ? `market-maker-${k}` : `market-maker-${symbol}-${k}`
      const agent = new MarketMaker(name, [account], { ...mm, instrument })
      drivers.push(new AgentDriver(agent, new Prng(seed, name), mm.latency))
    })
  })
  noiseTraders.forEach((account, k) => {
    const name = `noise-trader-${k}`
    const agent = new NoiseTrader(name, [account], { instrument: 0, ...nt })
    drivers.push(new AgentDriver(agent, new Prng(seed, name), nt.latency))
  })
  const arbInstrument = instrumentIndex(scenario, venueConfig, arb.instrument, 'arbitrageurs.instrument')
  arbitrageurs.forEach((account, k) => {
    const name = `arbitrageur-${k}`
    const agent = new Arbitrageur(name, [account], { ...arb, instrument: arbInstrument })
    drivers.push(new AgentDriver(agent, new Prng(seed, name), arb.latency))
  })
  liquidators.forEach((account, k) => {
    const name = `liquidator-${k}`
    drivers.push(new AgentDriver(new Liquidator(name, [account], lq), new Prng(seed, name), lq.latency))
  })
  scenario.agents.forEach((entry, n) => {
    const instrument = instrumentIndex(scenario, venueConfig, entry.instrument, `agents.${n}.instrument`)
    agentAccounts[n]!.forEach((account, k) => {
      const name = `${agentEntryName(entry)}-${k}`
      const agent = entry.module === undefined
        ? builtinAgent(entry.type!, name, account, instrument, entry.params)
        : moduleFactory(modules, entry.module)(name, [account], { instrument, ...entry.params })
      drivers.push(new AgentDriver(agent, new Prng(seed, name), entry.latency, [account]))
    })
  })
  const primaryBase = venueConfig.instruments[0]!.baseAsset
  const startHealth = [population, ...populations].map((p, n): PopulationStartHealth => {
    const spec = n === 0 ? scenario.population : scenario.populations[n - 1]!
    const field = n === 0 ? 'population' : `populations.${n - 1}`
    return { field, startHealthMin: spec.startHealthMin, allowUnhealthyStart: spec.allowUnhealthyStart, ...p.startHealth }
  })
  return {
    venue: new Venue(venueConfig), venueConfig, drivers, startTicks: assetStartTicks[primaryBase]!, assetStartTicks, startHealth,
    accountCount: nextAccount, warnings,
    accounts: {
      fund, marketMakers, noiseTraders, arbitrageurs, impactCounterparty,
      population: population.accounts, populationOwners: population.owners, liquidators, agents: agentAccounts,
      populations: populations.map(({ accounts, owners, counterparty }) => ({ accounts, owners, counterparty })),
    },
  }
}

/** A built-in agent of `type` on one account; `params` were validated (with defaults) by the scenario schema. */
function builtinAgent(type: AgentType, name: string, account: number, instrument: number, params: Record<string, unknown>): Agent {
  const accounts = [account]
  switch (type) {
    case 'noise_trader':
      return new NoiseTrader(name, accounts, { ...(params as z.infer<typeof AGENT_PARAMS.noise_trader>), instrument })
    case 'market_maker':
      return new MarketMaker(name, accounts, { ...(params as z.infer<typeof AGENT_PARAMS.market_maker>), instrument })
    case 'arbitrageur':
      return new Arbitrageur(name, accounts, { ...(params as z.infer<typeof AGENT_PARAMS.arbitrageur>), instrument })
    case 'liquidator':
      return new Liquidator(name, accounts, params as z.infer<typeof AGENT_PARAMS.liquidator>)
    case 'trend_follower':
      return new TrendFollower(name, accounts, { ...(params as z.infer<typeof AGENT_PARAMS.trend_follower>), instrument })
    case 'basis_trader':
      return new BasisTrader(name, accounts, { ...(params as z.infer<typeof AGENT_PARAMS.basis_trader>), instrument })
    case 'value_trader':
      return new ValueTrader(name, accounts, { ...(params as z.infer<typeof AGENT_PARAMS.value_trader>), instrument })
    case 'panic_seller':
      return new PanicSeller(name, accounts, { ...(params as z.infer<typeof AGENT_PARAMS.panic_seller>), instrument })
    default:
      return assertNever(type)
  }
}

function moduleFactory(modules: AgentModules, path: string): AgentFactory {
  const factory = modules.get(path)
  if (factory === undefined) throw new Error(`world: agent module ${path} was not loaded (call loadAgentModules before buildWorld)`)
  return factory
}

/** Index of instrument `symbol` (default: the primary), or a UserError naming `field`. */
function instrumentIndex(scenario: Scenario, config: VenueConfig, symbol: string | undefined, field: string): number {
  if (symbol === undefined) return 0
  const i = config.instruments.findIndex((x) => x.symbol === symbol)
  if (i < 0) throw new UserError(`scenario ${scenario.name}: ${field}: "${symbol}" is not a listed instrument`)
  return i
}

/** Recorded price paths by asset index (read and validated now: errors name file, line and value). */
function recordedPaths(scenario: Scenario, config: VenueConfig): (PricePath | null)[] {
  return config.assets.map((asset, k) => {
    const path = k === 0 ? undefined : assetPriceOf(scenario, asset.symbol).path
    if (path === undefined) return null
    let text: string
    try {
      text = readFileSync(path.file, 'utf8')
    } catch (error) {
      throw new UserError(`${path.file}: cannot read price path for ${asset.symbol} (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
    }
    try {
      return parsePricePath(text, path.file, path.timestampUnit)
    } catch (error) {
      if (error instanceof PricePathError) throw new UserError(error.message)
      throw error
    }
  })
}

/** Start price (ticks) of every asset: a recorded path's first price, else price.start (primary base) or price.startByAsset. */
function startPrices(scenario: Scenario, config: VenueConfig, paths: readonly (PricePath | null)[]): number[] {
  const primaryBase = config.instruments[0]!.baseAsset
  return config.assets.map((asset, k) => {
    if (k === 0) return 1
    const path = paths[k]
    const quote = path ? path.prices[0]! : k === primaryBase ? scenario.price.start : scenario.price.startByAsset[asset.symbol]
    if (quote === undefined) throw new UserError(`scenario ${scenario.name}: price.startByAsset.${asset.symbol}: a start price is required for asset ${asset.symbol}`)
    return Math.max(1, Math.round(quote / asset.priceTick))
  })
}

/**
 * An external price process and an oracle for every non-cash asset; the primary keeps the
 * stream names "price-process" and "oracle". Flow in each perpetual on the asset is counted in
 * lots of the first one (by base-asset size).
 */
function priceDrivers(scenario: Scenario, config: VenueConfig, startTicks: number[], paths: readonly (PricePath | null)[], seed: number): Driver[] {
  const primaryBase = config.instruments[0]!.baseAsset
  const drivers: Driver[] = []
  const baseLot = (i: number) => config.instruments[i]!.contractSize * config.instruments[i]!.lotSize
  config.assets.forEach((asset, k) => {
    if (k === 0) return
    const suffix = k === primaryBase ? '' : `-${asset.symbol}`
    const price = assetPriceOf(scenario, asset.symbol)
    const impactInstruments = config.instruments.flatMap((x, i) => (x.baseAsset === k ? [i] : []))
    const path = paths[k]
    drivers.push(new PriceProcess({
      asset: k, impactInstruments,
      impactLotScale: impactInstruments.map((i) => baseLot(i) / baseLot(impactInstruments[0]!)),
      startTicks: startTicks[k]!, stepMs: price.stepMs, volatilityPerStep: price.volatilityPerStep, jumps: price.jumps,
      shocks: [...price.shocks].sort((x, y) => x.atMs - y.atMs),
      path: path ? pathInTicks(path, asset.priceTick) : null,
      impact: { ...price.impact, ticksPerLot: price.impactTicksPerLot },
      propagator: referenceMarketOf(price),
      impactDelayMs: price.impactDelayMs,
    }, new Prng(seed, `price-process${suffix}`), `price-process${suffix}`, new Prng(seed, `price-jumps${suffix}`)))
    const oracle = assetOracleOf(scenario, asset.symbol)
    const sourceRngs = oracle.sources.map((_, n) => new Prng(seed, `oracle${suffix}-source-${n}`))
    const venueInstrument = impactInstruments.find((i) => config.markets?.[i]?.execution.model === 'book') ?? -1
    drivers.push(new Oracle({ asset: k, ...oracle, venueInstrument }, startTicks[k]!, `oracle${suffix}`, sourceRngs))
  })
  return drivers
}

/**
 * The reference market as a propagator (linear impact, G(τ) = G∞ + g0·(1 + τ/τ0)^(−β): no dynamic
 * arbitrage) for the linear model without an exponential transient part; else null (impact_model.ts).
 */
function referenceMarketOf(price: ReturnType<typeof assetPriceOf>): PropagatorConfig | null {
  if (price.impact.model !== 'linear' || price.impact.transientShare > 0) return null
  const transient = price.transientImpact
  return {
    permanentTicksPerLot: price.impactTicksPerLot, transientTicksPerLot: transient.ticksPerLot,
    decayExponent: transient.decayExponent, decayScaleMs: transient.decayScaleMs, exponentials: transient.exponentials,
  }
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
  const start = startMarginOf(config, startTicks, instrument, p)
  const startPrice = startTicks[config_i.baseAsset]!
  if (!start.allowUnhealthy && p.pairs > 0) {
    // Stated bounds must start healthy: the most leveraged account at the largest size (isolated: its compartment's share).
    const notional = p.lotsMax * startPrice * config_i.cashPerTickLot
    const equity = (notional / p.leverageMax) * (p.marginMode === 'isolated' ? p.isolatedMarginShare : 1)
    if (!startsHealthy(start, equity, notional)) {
      throw new UserError(`scenario ${scenario.name}: population.leverageMax: ${p.leverageMax} starts below ${p.startHealthMin} × maintenance margin at ${p.lotsMax} lots${p.marginMode === 'isolated' ? ` with isolatedMarginShare ${p.isolatedMarginShare}` : ''}; lower it or set population.allowUnhealthyStart: true`)
    }
  }
  return generatePopulation({ ...p, instrument, collateral }, new Prng(seed, 'population'), firstAccount, startPrice, config_i.cashPerTickLot, start)
}

/** The venue's margin arithmetic at the start prices for instrument `i`, with a population's start-health rule. */
function startMarginOf(
  config: VenueConfig, startTicks: readonly number[], i: number, rule: { startHealthMin: number; allowUnhealthyStart: boolean },
): StartMargin {
  const margin = new MarginModel(config)
  startTicks.forEach((ticks, k) => { if (k > 0) margin.assetPriceTicks[k] = ticks })
  return {
    maintenance: (notional) => margin.requirements.maintenance(i, notional),
    collateralValue: (asset, units) => (asset === 0 ? units : margin.collateralValueOf(asset, units)),
    healthMin: rule.startHealthMin,
    allowUnhealthy: rule.allowUnhealthyStart,
  }
}

/** Population entry `n` of `populations:` in engine units (cash units, ticks), from account `firstAccount` on; its stream is "population-<n>". */
function buildDistributedPopulation(scenario: Scenario, config: VenueConfig, startTicks: number[], seed: number, firstAccount: number, n: number) {
  const spec = scenario.populations[n]!
  const instrument = instrumentIndex(scenario, config, spec.instrument, `populations.${n}.instrument`)
  const collateralAssets = Object.entries(spec.collateralAssets).map(([symbol, share]) => {
    const asset = config.assets.findIndex((x) => x.symbol === symbol)
    if (asset <= 0) throw new UserError(`scenario ${scenario.name}: populations.${n}.collateralAssets.${symbol}: not a non-cash asset of the venue`)
    return { asset, share, cashPerUnit: startTicks[asset]! * config.assets[asset]!.cashPerTickUnit }
  })
  const x = config.instruments[instrument]!
  const start = startTicks[x.baseAsset]!
  const cash = 1 / config.cashUnit
  const traders = spec.accounts?.map((a) => ({
    collateral: a.collateral * cash, leverage: a.leverage, side: a.side,
    entryTicks: a.entryPrice === undefined ? start : Math.max(1, Math.round(a.entryPrice / x.tickSize)),
  }))
  const margin = startMarginOf(config, startTicks, instrument, spec)
  const field = `populations.${n}`
  const collateral = distributionOf(spec.collateral, cash)
  const leverage = distributionOf(spec.leverage, 1)
  if (traders === undefined && !margin.allowUnhealthy) checkStatedLeverage(scenario, margin, spec, collateral, leverage, field, start * x.cashPerTickLot)
  try {
    return generateDistributedPopulation({
      instrument, count: spec.count, collateral, leverage,
      longShare: spec.longShare, entrySpreadRate: spec.entrySpreadRate, marginMode: spec.marginMode,
      isolatedMarginShare: spec.isolatedMarginShare, collateralAssets, ...(traders === undefined ? {} : { traders }),
    }, new Prng(seed, `population-${n}`), firstAccount, start, x.cashPerTickLot, margin, field)
  } catch (error) {
    if (error instanceof PopulationStartError) throw new UserError(`scenario ${scenario.name}: ${error.message}`)
    throw error
  }
}

/**
 * A distributed population's stated leverage must start healthy at the entry price, for the
 * median (or fixed) collateral: a fixed value, every value of a mix, a lognormal's max. Draws
 * beyond (lognormal tails, entry spread, tiered sizes) are clamped instead.
 */
function checkStatedLeverage(
  scenario: Scenario, margin: StartMargin, spec: Scenario['populations'][number], collateral: Distribution, leverage: Distribution,
  field: string, lotValue: number,
): void {
  const deposit = collateral.kind === 'fixed' ? collateral.value : collateral.kind === 'lognormal' ? collateral.median : Math.max(...collateral.values)
  const stated = leverage.kind === 'fixed' ? [leverage.value] : leverage.kind === 'mix' ? leverage.values : leverage.max < Number.MAX_SAFE_INTEGER ? [leverage.max] : []
  const share = spec.marginMode === 'isolated' ? spec.isolatedMarginShare : 1
  for (const value of stated) {
    const notional = Math.max(lotValue, deposit * value)
    if (!startsHealthy(margin, deposit * share, notional)) {
      throw new UserError(`scenario ${scenario.name}: ${field}.leverage: ${value} starts below ${spec.startHealthMin} × maintenance margin${share < 1 ? ` with isolatedMarginShare ${share}` : ''}; lower it or set ${field}.allowUnhealthyStart: true`)
    }
  }
}

/** A scenario distribution with its values multiplied by `scale` (quote currency → cash units). */
function distributionOf(d: DistributionSpec, scale: number): Distribution {
  if (d.value !== undefined) return { kind: 'fixed', value: d.value * scale }
  if (d.mix !== undefined) return { kind: 'mix', values: d.mix.map((m) => m.value * scale), weights: d.mix.map((m) => m.weight) }
  return { kind: 'lognormal', median: d.median! * scale, sigma: d.sigma!, min: (d.min ?? 0) * scale, max: (d.max ?? Number.MAX_SAFE_INTEGER) * scale }
}
