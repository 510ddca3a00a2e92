// Human-readable rendering of a run summary for the terminal.

import type { RunSummary } from '../analysis/run_summary.js'
import type { PopulationStartHealth } from './world.js'

const money = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 0 })
const pct = (x: number): string => `${(x * 100).toFixed(2)}%`

/** Multi-line text summary of a run (with the populations' start-health record when the run made it). */
export function formatSummary(
  summary: RunSummary & { populationStart?: PopulationStartHealth[]; underwaterAtEnd?: { accounts: number; deficit: number } }, title: string,
): string {
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
    `  insurance fund     start ${money(insuranceFund.start)}  min ${money(insuranceFund.min)}  end ${money(insuranceFund.end)} (cash ${money(insuranceFund.endCash)}, ${insuranceFund.endPositionLots} lots held)`,
    `                     unwound ${money(insuranceFund.flows.unwindNotional)} in ${insuranceFund.flows.unwindOrders} orders, ${insuranceFund.flows.deficits} deficits covered ${money(insuranceFund.flows.deficitsCovered)} (ADL ${money(insuranceFund.flows.deficitsByAdl)}, bad debt ${money(insuranceFund.flows.badDebtToFund)}, socialised ${money(insuranceFund.flows.socializedToFund)})`,
    `  bad debt           ${money(summary.badDebt)}    ADL ${summary.autoDeleverage.events} reductions of ${summary.autoDeleverage.accounts} accounts    socialised loss ${money(summary.socializedLoss)}`,
    `  gap risk           ${summary.gapRisk.underwaterAccounts} accounts reached below zero equity (deficit ${money(summary.gapRisk.deficitAtDetection)}); deficits resolved ${money(summary.gapRisk.resolved.total)}: collateral ${money(summary.gapRisk.resolved.collateral)}, fund ${money(summary.gapRisk.resolved.fund)}, socialised ${money(summary.gapRisk.resolved.socialized)}, ADL ${money(summary.gapRisk.resolved.adl)}, bad debt ${money(summary.gapRisk.resolved.badDebt)}`,
    `  fees               ${money(summary.fees)}    liquidator rewards ${money(summary.liquidatorRewards)}`,
    ...(summary.underwaterAtEnd && summary.underwaterAtEnd.accounts > 0
      ? [`                     ${summary.underwaterAtEnd.accounts} accounts below zero equity at the end, not yet reached (deficit ${money(summary.underwaterAtEnd.deficit)})`] : []),
    ...startHealthLines(summary.populationStart ?? []),
    `  events             ${summary.events.toLocaleString('en-US')} over ${(summary.simulatedMs / 60_000).toFixed(1)} simulated minutes`,
  )
  return lines.join('\n')
}

/** One line per population whose start the health check changed or was told to allow (none when all started healthy as drawn). */
function startHealthLines(populations: readonly PopulationStartHealth[]): string[] {
  return populations.flatMap((p) => {
    if (p.allowUnhealthyStart) return [`  start health       ${p.field}: allowUnhealthyStart: ${p.belowMaintenance} accounts started below maintenance`]
    if (p.clamped > 0) return [`  start health       ${p.field}: ${p.clamped} accounts clamped to start at ≥ ${p.startHealthMin} × maintenance`]
    return []
  })
}
