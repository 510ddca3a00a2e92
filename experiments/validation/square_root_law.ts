// The full square-root-law experiment (docs/validation/square_root_law.md): metaorders of Q lots
// at a fixed rate into the default world without a shock or a leveraged population, over seeds.
// Prints, per Q, the peak impact of the book mid (mean ± 95% interval over seeds) and of the
// external price, the impact after the end (T + T and T + 4T), the fitted exponents of I(Q) (book
// mid and external price) with bootstrap intervals over seeds, and the local exponent between
// neighbouring Q.
//
//   npx tsx experiments/validation/square_root_law.ts [--rate 100] [--seeds 8] [--side sell]
//     [--lots 1000,3000,10000,30000,100000] [--volatility 0] [--set '{"marketMakers":{"inventorySkew":0}}']

import { parseArgs } from 'node:util'
import { meanInterval } from '../../analysis/report/sweep_statistics.js'
import { logLogSlope } from '../../analysis/log_log_slope.js'
import { fitExponent, runMetaorder, type ImpactCell } from './metaorder.js'

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '100' },
    seeds: { type: 'string', default: '8' },
    side: { type: 'string', default: 'sell' },
    lots: { type: 'string', default: '1000,3000,10000,30000,100000' },
    volatility: { type: 'string', default: '0' },
    set: { type: 'string', default: '{}' },
  },
})
const rate = Number(values.rate)
const seeds = Array.from({ length: Number(values.seeds) }, (_, k) => k + 1)
const side = values.side === 'buy' ? 'buy' : 'sell'
const sizes = values.lots.split(',').map(Number)
const extra = JSON.parse(values.set) as Record<string, unknown>
const overrides = { ...extra, price: { volatilityPerStep: Number(values.volatility), ...(extra.price as object | undefined) } }

const fmt = (x: number, d = 1) => x.toFixed(d)
const pm = (m: { mean: number; low: number; high: number }) => `${fmt(m.mean)} ± ${fmt((m.high - m.low) / 2)}`
console.log(`rate ${rate} lots/s, side ${side}, seeds ${seeds.length}, volatilityPerStep ${values.volatility}, set ${values.set}`)
console.log('Q lots | T s | I(Q) book mid, ticks (mean ± 95%) | external at T | I(T+T)/I(T) | I(T+4T)/I(T+T) | external I(T+4T)/I(T+T)')
const cells: ImpactCell[] = []
const externalCells: ImpactCell[] = []
for (const lots of sizes) {
  const runs = seeds.map((seed) => runMetaorder({ seed, side, lots, lotsPerSecond: rate, decayLagsT: [1, 4], overrides }))
  const short = runs.filter((r) => r.filledLots !== lots).length
  const peak = meanInterval(runs.map((r) => r.peak))
  const external = meanInterval(runs.map((r) => r.peakExternal))
  const after = meanInterval(runs.map((r) => r.decay[0]!))
  const later = meanInterval(runs.map((r) => r.decay[1]!))
  const externalAfter = meanInterval(runs.map((r) => r.decayExternal[0]!))
  const externalLater = meanInterval(runs.map((r) => r.decayExternal[1]!))
  cells.push({ lots, peaks: runs.map((r) => r.peak), ...peak })
  externalCells.push({ lots, peaks: runs.map((r) => r.peakExternal), ...external })
  console.log([
    lots, runs[0]!.durationMs / 1000, pm(peak), pm(external),
    fmt(after.mean / peak.mean, 2), fmt(later.mean / after.mean, 2), fmt(externalLater.mean / externalAfter.mean, 2),
  ].join(' | ') + (short > 0 ? ` (${short} runs not fully filled)` : ''))
}
const fit = fitExponent(cells)
console.log(`exponent over Q ${sizes[0]}…${sizes[sizes.length - 1]}: ${fmt(fit.slope, 3)} [${fmt(fit.low, 3)}, ${fmt(fit.high, 3)}] (95% bootstrap over seeds; ${fit.dropped} replicates dropped)`)
const externalFit = fitExponent(externalCells)
console.log(`external-price exponent: ${fmt(externalFit.slope, 3)} [${fmt(externalFit.low, 3)}, ${fmt(externalFit.high, 3)}] (${externalFit.dropped} replicates dropped)`)
const local = cells.slice(1).map((c, k) => `${cells[k]!.lots}→${c.lots}: ${fmt(logLogSlope([cells[k]!.lots, c.lots], [cells[k]!.mean, c.mean]), 2)}`)
console.log(`local exponents: ${local.join(', ')}`)
