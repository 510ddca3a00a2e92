// `cascadelab margin FILE.json` as a user meets it: the input and output shape, one-line
// errors naming the JSON path of bad input (exit 2), and the same numbers as the simulation's
// venue for the same account (one margin model).

import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { blockTrade, deposit, openAccount, openCompartment, oraclePrice, transfer } from '../../engine/events.js'
import { bankruptcyPriceTicks, liquidationPriceTicks } from '../../engine/margin/liquidation_price.js'
import { resolveVenue } from '../../engine/margin/venue_presets.js'
import { Venue } from '../../engine/venue.js'
import { evaluateMarginFile } from '../../experiments/commands/margin.js'
import { applyAll } from '../helpers/small_world.js'
import { cli } from '../helpers/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'cascadelab-margin-'))

function margin(input: unknown) {
  const file = join(dir, `in-${Math.random().toString(36).slice(2)}.json`)
  writeFileSync(file, typeof input === 'string' ? input : JSON.stringify(input))
  return cli('margin', file)
}

const EXAMPLE = {
  venue: 'binance-usdm',
  prices: { BTC: 60_000, ETH: 3_000, USDT: 1 },
  instruments: { 'BTC-PERP': { base: 'BTC', quote: 'USDT', tiers: [{ maxNotional: 50_000, mmr: 0.004, maintenanceAmount: 0 }, { maxNotional: 250_000, mmr: 0.005 }] } },
  collateral: { USDT: { haircut: 0 }, BTC: { haircut: 0.05 } },
  accounts: [
    { id: 'a1', mode: 'cross', collateral: { USDT: 10_000 }, positions: [{ instrument: 'BTC-PERP', qty: 0.5, entryPrice: 58_000 }] },
    { id: 'a2', mode: 'isolated', collateral: { USDT: 500 }, positions: [{ instrument: 'ETH-PERP', qty: -2, entryPrice: 2_900, isolatedMargin: 300 }] },
  ],
}

describe('cascadelab margin', () => {
  it('prints the documented JSON for the issue example', () => {
    const r = margin(EXAMPLE)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(Object.keys(out)).toEqual(['accounts'])
    expect(Object.keys(out.accounts[0])).toEqual(['id', 'equity', 'initialMargin', 'maintenanceMargin', 'marginRatio', 'health', 'positions'])
    expect(Object.keys(out.accounts[0].positions[0])).toEqual([
      'instrument', 'notional', 'unrealizedPnl', 'maintenanceMargin', 'liquidationPrice', 'bankruptcyPrice',
    ])
    expect(out.accounts[0]).toMatchObject({ id: 'a1', equity: 11_000, initialMargin: 240, maintenanceMargin: 120 })
    // a2: short 2 ETH, isolated 300, mark 3,000: equity 300 − 200 + the 500 wallet
    expect(out.accounts[1]).toMatchObject({ id: 'a2', equity: 600 })
    expect(out.accounts[1].positions[0]).toMatchObject({ instrument: 'ETH-PERP', notional: 6_000, unrealizedPnl: -200 })
  })

  it('prints null where no price exists (a liquidation price below zero)', () => {
    const r = margin({ venue: 'generic', prices: { BTC: 60_000 }, accounts: [{ id: 'safe', collateral: { USD: 100_000 }, positions: [{ instrument: 'BTC-PERP', qty: 1, entryPrice: 60_000 }] }] })
    expect(r.code).toBe(0)
    const position = JSON.parse(r.stdout).accounts[0].positions[0]
    expect(position.liquidationPrice).toBeNull()
    expect(position.bankruptcyPrice).toBeNull()
  })

  it('reports bad input on one line naming the JSON path, exit 2', () => {
    const cases: [unknown, RegExp][] = [
      [{ ...EXAMPLE, accounts: [{ id: 'a', positions: [{ instrument: 'BTC-PERP', qty: 'x', entryPrice: 1 }] }] }, /: accounts\[0\]\.positions\[0\]\.qty: .*\(got "x"\)$/],
      [{ ...EXAMPLE, accounts: [{ id: 'a', positions: [{ instrument: 'BTC-PERP', qty: 0, entryPrice: 1 }] }] }, /accounts\[0\]\.positions\[0\]\.qty: must be non-zero/],
      [{ ...EXAMPLE, venue: 'ftx' }, /: venue: .*\(got "ftx"\)$/],
      [{ ...EXAMPLE, prices: { ETH: 3_000 } }, /: prices\.BTC: missing/],
      [{ ...EXAMPLE, prices: { ...EXAMPLE.prices, USDT: 0.99 } }, /prices\.USDT: the settlement asset's price is 1/],
      [{ ...EXAMPLE, accounts: [{ id: 'a', mode: 'isolated', positions: [{ instrument: 'BTC-PERP', qty: 1, entryPrice: 1 }] }] }, /accounts\[0\]\.positions\[0\]\.isolatedMargin: required/],
      [{ ...EXAMPLE, instruments: { 'BTC-PERP': { tiers: [{ mmr: 0.004 }, { mmr: 0.005 }] } } }, /instruments\.BTC-PERP\.tiers\[0\]\.maxNotional: required/],
      [{ ...EXAMPLE, instruments: { 'BTC-PERP': { maxLeverage: 20, mmr: 0.01 } } }, /instruments\.BTC-PERP: give one of tiers, maxLeverage, or imr\/mmr/],
      [{ ...EXAMPLE, instruments: { 'DOGE-PERP': { mmr: 0.01 } } }, /instruments\.DOGE-PERP\.base: required/],
      [{ ...EXAMPLE, instruments: { 'BTC-PERP': { quote: 'USDC' } } }, /instruments\.BTC-PERP\.quote: "USDC"/],
      [{ ...EXAMPLE, collateral: { BTC: { haircut: 1.5 } } }, /collateral\.BTC\.haircut: .*\(got 1\.5\)/],
      [{ ...EXAMPLE, colateral: {} }, /\(root\): .*colateral/],
      ['{ "venue": ', /not valid JSON/],
      [{ ...EXAMPLE, accounts: [{ id: 'a', positions: [{ instrument: 'BTC-PERP', qty: 1e308, entryPrice: 60_000 }] }] }, /accounts\[0\]\.positions\[0\]\.qty: notional \|qty × entryPrice\| = Infinity is above 1e\+12/],
      [{ ...EXAMPLE, accounts: [{ id: 'a' }, { id: 'b' }, { id: 'a' }] }, /accounts\[2\]\.id: duplicate id \(also accounts\[0\]\)/],
    ]
    for (const [input, pattern] of cases) {
      const r = margin(input)
      expect(r.code, String(pattern)).toBe(2)
      const lines = r.stderr.trim().split('\n')
      expect(lines, r.stderr).toHaveLength(1)
      expect(lines[0]).toMatch(/^cascadelab: .*in-\w+\.json: /)
      expect(lines[0]).toMatch(pattern)
    }
    const missing = cli('margin', join(dir, 'nope.json'))
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/nope\.json: cannot read margin file/)
  })

  it('has --help describing the interface', () => {
    const r = cli('margin', '--help')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Usage: cascadelab margin/)
    expect(r.stdout).toMatch(/liquidationPrice/)
  })

  it('gives the same numbers as the simulation\'s venue for the same accounts (one margin model)', () => {
    // binance-usdm: BTC tick 0.1, lot 0.001, cash unit 1e-6 USDT (100 cash units per lot·tick).
    const config = resolveVenue('binance-usdm', { instruments: [{ symbol: 'BTC-PERP' }, { symbol: 'ETH-PERP' }] })
    const venue = new Venue(config)
    const usdt = (x: number) => Math.round(x / config.cashUnit)
    applyAll(venue, [
      openAccount(0, 0), openAccount(0, 1), deposit(0, 1, usdt(10_000_000)),
      openAccount(0, 2), deposit(0, 2, usdt(20_000)), deposit(0, 2, 50_000_000, 1), // 0.5 BTC
      openAccount(0, 3), deposit(0, 3, usdt(5_000)), openCompartment(0, 4, 3, 1), transfer(0, 3, 4, 0, usdt(1_500)),
      oraclePrice(0, 1, 580_000, -1), oraclePrice(0, 2, 310_000, -1),
      blockTrade(0, 0, 2, 1, 580_000, 2_000), blockTrade(0, 1, 1, 2, 310_000, 20_000), // long 2 BTC, short 20 ETH
      blockTrade(0, 1, 1, 4, 310_000, 5_000), // isolated short 5 ETH
      oraclePrice(1, 1, 600_000, -1), oraclePrice(1, 2, 300_000, -1),
    ])
    const [cross, isolated] = evaluateMarginFile({
      venue: 'binance-usdm', prices: { BTC: 60_000, ETH: 3_000 },
      accounts: [
        { id: 'c', collateral: { USDT: 20_000, BTC: 0.5 }, positions: [
          { instrument: 'BTC-PERP', qty: 2, entryPrice: 58_000 }, { instrument: 'ETH-PERP', qty: -20, entryPrice: 3_100 }] },
        { id: 'i', mode: 'isolated', collateral: { USDT: 3_500 }, positions: [{ instrument: 'ETH-PERP', qty: -5, entryPrice: 3_100, isolatedMargin: 1_500 }] },
      ],
    }, 'test').accounts
    const m = venue.margin
    const s = venue.accounts
    const q = (cash: number) => Number((cash * config.cashUnit).toPrecision(12))
    expect(cross!.equity).toBe(q(m.equity(s, 2)))
    expect(cross!.maintenanceMargin).toBe(q(m.maintenanceMargin(s, 2)))
    expect(cross!.initialMargin).toBe(q(m.initialMargin(s, 2)))
    expect(cross!.positions[0]!.liquidationPrice).toBe(Number((liquidationPriceTicks(m, s, 2, 0) * 0.1).toPrecision(12)))
    expect(cross!.positions[1]!.bankruptcyPrice).toBe(Number((bankruptcyPriceTicks(m, s, 2, 1) * 0.01).toPrecision(12)))
    expect(isolated!.equity).toBe(q(m.equity(s, 3) + m.equity(s, 4)))
    expect(isolated!.positions[0]!.liquidationPrice).toBe(Number((liquidationPriceTicks(m, s, 4, 1) * 0.01).toPrecision(12)))
    expect(isolated!.health).toBe(Number(m.health(s, 4).toPrecision(12)))
  })
})
