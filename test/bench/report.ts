// Prints the figures of `vitest bench --outputJson` as throughput and ratios: for each group,
// units/s from the median iteration time (the group name carries the units per iteration as
// [events=N] or [ops=N]; [bytes=N] adds the bytes read per second), and each benchmark's speed relative to the group's baseline, which
// ran in the same process moments apart. Medians and ratios, because these machines are noisy.
// Targets from the issues are checked and printed, never enforced as test failures.

import { readFileSync } from 'node:fs'

/** One benchmark's figures; vitest leaves median and rme out when a benchmark recorded no samples. */
interface Bench { name: string; median?: number; rme?: number; sampleCount?: number }
interface Group { fullName: string; benchmarks: Bench[] }
interface Results { files: { filepath: string; groups: Group[] }[] }

/** Speed targets: benchmark name → minimum units/s, or minimum ratio against the group's baseline. */
const TARGETS: Record<string, { perSecond?: number; ratio?: number }> = {
  'simulation loop: scheduler + apply + dispatch': { perSecond: 1_000_000 },
  'cascadelab OrderBook': { perSecond: 2_000_000, ratio: 3 },
  'sweep on 2 workers': { ratio: 1.7 },
  // issue 7: 1M accounts × 4 positions in ≤ 15 ms; 2 workers ≥ 1.6x; a tick with 0.1% near threshold ≤ 1% of a full scan
  'sequential full scan': { perSecond: 1_000_000 / 0.015 },
  'pooled full scan, 2 workers': { ratio: 1.6 },
  'index collect after an oracle tick': { ratio: 100 },
  // issue 18: a 1M-event journal exported to Parquet tables in ≤ 10 s
  'export --tables, 1M-event journal': { perSecond: 100_000 },
}

const file = process.argv[2] ?? '.bench/results.json'
const results = JSON.parse(readFileSync(file, 'utf8')) as Results
const fmt = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: x < 10 ? 2 : 0 })

let belowTarget = 0
let missing = 0
for (const group of results.files.flatMap((f) => f.groups)) {
  const title = group.fullName.split(' > ').slice(1).join(' > ')
  const unit = /\[(\w+)=(\d+)\]/.exec(title)
  const perIteration = unit ? Number(unit[2]) : 1
  const unitName = unit ? unit[1] : 'iterations'
  const baseline = group.benchmarks.find((b) => b.name.startsWith('baseline'))
  const bytes = /\[bytes=(\d+)\]/.exec(title)
  console.log(`\n${title}`)
  for (const b of group.benchmarks) {
    if (b.median === undefined) {
      // Reported, not skipped silently: a benchmark without samples says nothing about its target.
      missing++
      console.log(`  ${b.name.padEnd(48)} no samples`)
      continue
    }
    const perSecond = (perIteration * 1000) / b.median
    const ratio = baseline?.median !== undefined && b !== baseline ? baseline.median / b.median : null
    const target = TARGETS[b.name]
    const checks: string[] = []
    if (target?.perSecond !== undefined) {
      const ok = perSecond >= target.perSecond
      if (!ok) belowTarget++
      checks.push(`${ok ? 'meets' : 'BELOW'} target ${fmt(target.perSecond)} ${unitName}/s`)
    }
    if (target?.ratio !== undefined && ratio !== null) {
      const ok = ratio >= target.ratio
      if (!ok) belowTarget++
      checks.push(`${ok ? 'meets' : 'BELOW'} target ${target.ratio}x`)
    }
    console.log(
      `  ${b.name.padEnd(48)} ${fmt(perSecond).padStart(12)} ${unitName}/s  median ${b.median.toFixed(3)} ms  ±${(b.rme ?? 0).toFixed(1)}%  n=${b.sampleCount ?? 0}` +
      `${bytes ? `  ${fmt(Number(bytes[1]) / b.median / 1e6)} GB/s scanned` : ''}` +
      `${ratio !== null ? `  ${ratio.toFixed(2)}x baseline` : ''}${checks.length ? `  [${checks.join('; ')}]` : ''}`,
    )
  }
}
const unmeasured = missing === 0 ? '' : ` (${missing} benchmark(s) without samples)`
console.log(belowTarget === 0 ? `\nall speed targets met${unmeasured}` : `\n${belowTarget} figure(s) below target${unmeasured}`)
