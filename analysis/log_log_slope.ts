// The exponent of a power law y = c·x^δ fitted by least squares on logarithms: the slope of
// ln y on ln x. Used by the square-root-law checks (the reference market's propagator and the
// venue's metaorders). Floats, so analysis only; never in a state transition.

/** Least-squares slope of ln y on ln x (NaN if any y ≤ 0 or fewer than two distinct x). */
export function logLogSlope(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length) throw new Error(`logLogSlope: ${x.length} x but ${y.length} y`)
  if (y.some((v) => !(v > 0))) return Number.NaN
  const lx = x.map(Math.log)
  const ly = y.map(Math.log)
  const mx = lx.reduce((s, v) => s + v, 0) / lx.length
  const my = ly.reduce((s, v) => s + v, 0) / ly.length
  let sxy = 0
  let sxx = 0
  lx.forEach((v, k) => {
    sxy += (v - mx) * (ly[k]! - my)
    sxx += (v - mx) ** 2
  })
  return sxx > 0 ? sxy / sxx : Number.NaN
}
