// Collateral valuation: a non-cash asset counts toward equity at its oracle value times its asset
// weight, weight = 1 − haircut. The haircut may grow with the size held, as Drift and Mango do
// with an initial-margin-fraction-style size premium (Drift protocol-v2 `calculate_size_discount_asset_weight`):
//
//   weight(size) = min(1 − haircut, 1.1 / (1 + sizePremium · √size))      size in whole asset
//
// so a large balance is worth proportionally less (it cannot be sold at the oracle price). The
// value q·p·weight(q) still increases with q. Math.sqrt is exactly rounded by IEEE 754, so this
// is deterministic on every platform.

/** Asset weight (1 − effective haircut) of holding `size` whole units of an asset. */
export function assetWeight(haircut: number, sizePremium: number, size: number): number {
  const base = 1 - haircut
  if (sizePremium === 0 || size <= 0) return base
  const premium = 1.1 / (1 + sizePremium * Math.sqrt(size))
  return premium < base ? premium : base
}

/**
 * Haircut value in cash units of `units` integer units of an asset at `priceTicks`, where
 * one unit is `unit` whole asset and one (unit × tick) is worth `cashPerTickUnit` cash units.
 */
export function collateralValue(
  units: number, priceTicks: number, cashPerTickUnit: number, unit: number, haircut: number, sizePremium: number,
): number {
  if (units <= 0) return 0
  return units * priceTicks * cashPerTickUnit * assetWeight(haircut, sizePremium, units * unit)
}
