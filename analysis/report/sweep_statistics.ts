// Statistics over replicate seeds for sweep reports: mean and a 95% confidence interval of the
// mean (Student's t, since a sweep usually has few seeds per variant).

/** Two-sided 95% Student-t quantiles by degrees of freedom 1..30 (beyond: normal 1.96). */
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042]

export interface MeanInterval { n: number; mean: number; low: number; high: number }

/** Mean of `values` with its 95% confidence interval (zero width for a single value). */
export function meanInterval(values: readonly number[]): MeanInterval {
  const n = values.length
  if (n === 0) return { n, mean: NaN, low: NaN, high: NaN }
  const mean = values.reduce((a, b) => a + b, 0) / n
  if (n === 1) return { n, mean, low: mean, high: mean }
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)
  const half = (T95[n - 2] ?? 1.96) * Math.sqrt(variance / n)
  return { n, mean, low: mean - half, high: mean + half }
}
