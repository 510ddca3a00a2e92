// Human-readable rendering of a run summary for the terminal.

import type { RunSummary } from '../analysis/run_summary.js'

const money = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 0 })
const pct = (x: number): string => `${(x * 100).toFixed(2)}%`

/** Multi-line text summary of a run. */
export function formatSummary(summary: RunSummary, title: string): string {
  const { price, liquidations, insuranceFund } = summary
  const lines = [
    title,
    `  mark price         ${price.startMark} → min ${price.minMark} → final ${price.finalMark}`,
    `  exogenous drop     ${pct(price.exogenousDrawdown)}   mark drawdown ${pct(price.markDrawdown)}   amplification ${price.amplification === null ? 'n/a' : `${price.amplification.toFixed(2)}x`}`,
    `  liquidations       ${liquidations.count} steps (${liquidations.partialSteps} partial), ${liquidations.accounts} accounts of ${liquidations.owners} traders, notional ${money(liquidations.notional)}`,
    `                     book ${money(liquidations.bookNotional)}, liquidators ${money(liquidations.liquidatorNotional)}, backstop ${money(liquidations.backstopNotional)}, ADL ${money(liquidations.adlNotional)}`,
    `  cascade depth      ${liquidations.generations} generation${liquidations.generations === 1 ? '' : 's'}`,
  ]
  for (const row of liquidations.byGeneration) {
    lines.push(`    gen ${String(row.generation).padStart(2)}  ${String(row.liquidations).padStart(6)} liquidations  ${String(row.accounts).padStart(6)} accounts  notional ${money(row.notional)}`)
  }
  const { traders, negativeEquity, autoDeleverage } = summary
  const seconds = (ms: number | null): string => (ms === null ? 'n/a' : `${(ms / 1000).toFixed(1)} s`)
  lines.push(
    `  timing             first liquidation ${seconds(liquidations.firstMs)}   ADL onset after it ${seconds(autoDeleverage.onsetAfterFirstLiquidationMs)}   peak notional/minute ${money(liquidations.peakNotionalPerMinute)}`,
    `  traders            ${traders.count} (${summary.accounts.count} accounts), ${pct(traders.fractionLiquidated)} liquidated, ${traders.loss.withLoss} with a loss (mean ${money(traders.loss.mean)})`,
    `  negative equity    ${negativeEquity.accounts} accounts, deficit ${money(negativeEquity.deficit)}`,
    `  insurance fund     start ${money(insuranceFund.start)}  min ${money(insuranceFund.min)}  end ${money(insuranceFund.end)} (cash ${money(insuranceFund.endCash)}, ${insuranceFund.endPositionLots} lots taken over)`,
    `  bad debt           ${money(summary.badDebt)}    ADL ${summary.autoDeleverage.events} reductions of ${summary.autoDeleverage.accounts} accounts    socialised loss ${money(summary.socializedLoss)}`,
    `  fees               ${money(summary.fees)}    liquidator rewards ${money(summary.liquidatorRewards)}`,
    `  events             ${summary.events.toLocaleString('en-US')} over ${(summary.simulatedMs / 60_000).toFixed(1)} simulated minutes`,
  )
  return lines.join('\n')
}
