// ln and exp built from + - * / only. ECMAScript lets each engine approximate Math.log/exp its
// own way; these give the same bits on every platform, so random draws that need them (Poisson
// arrivals, lognormal sizes) stay reproducible. Accuracy ~1e-15 relative, plenty for sampling.

const LN2 = 0.6931471805599453

/** Natural logarithm of x > 0. */
export function lnDeterministic(x: number): number {
  if (!(x > 0) || x === Infinity) return Number.NaN
  let k = 0
  let m = x
  // Exact binary scaling into [0.5, 1).
  while (m >= 1) { m *= 0.5; k++ }
  while (m < 0.5) { m *= 2; k-- }
  // ln(m) = 2·atanh(z), z = (m-1)/(m+1) ∈ [-1/3, 0).
  const z = (m - 1) / (m + 1)
  const z2 = z * z
  let term = z
  let sum = 0
  for (let n = 1; n < 60; n += 2) {
    sum += term / n
    term *= z2
  }
  return 2 * sum + k * LN2
}

/** e^x for finite x (underflows to 0, overflows to Infinity). */
export function expDeterministic(x: number): number {
  if (x !== x) return Number.NaN
  if (x > 709.8) return Infinity
  if (x < -745) return 0
  // x = k·ln2 + r, |r| ≤ ln2/2; e^r by Taylor series; 2^k by exact repeated scaling.
  const k = Math.round(x / LN2)
  const r = x - k * LN2
  let term = 1
  let sum = 1
  for (let n = 1; n < 30; n++) {
    term *= r / n
    sum += term
  }
  // Scale the result itself (not a separate 2^k) so it under/overflows only when e^x does.
  const step = k >= 0 ? 2 : 0.5
  let result = sum
  for (let i = 0; i < Math.abs(k); i++) result *= step
  return result
}

/** e^x − 1 for finite x, accurate also where e^x is within rounding of 1 (|x| tiny). */
export function expm1Deterministic(x: number): number {
  if (!(Math.abs(x) < 0.5)) return expDeterministic(x) - 1
  // Taylor series: at most 25 terms (< 0.5^26/26! ≈ 4e-35 relative for |x| < 0.5); it stops
  // once a term no longer changes the sum, which depends only on x, so the bits stay the same.
  let term = x
  let sum = x
  for (let n = 2; n < 26; n++) {
    term *= x / n
    const next = sum + term
    if (next === sum) break
    sum = next
  }
  return sum
}
