// Reports as a reader sees them: a run report and a sweep report open in headless Chromium (the
// machine's /usr/bin/chromium when present, else the one npm ci brings: @sparticuz/chromium,
// extracted to /tmp on first use) with no console errors, no network requests and
// every chart drawn as SVG; screenshots go to test-output/. Scenario text full of markup shows
// up as text. `cascadelab reproduce` confirms the embedded digests, and fails on a doctored one.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sparticuz from '@sparticuz/chromium'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cli } from '../helpers/cli.js'

const SYSTEM_CHROMIUM = '/usr/bin/chromium'
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync']

/** The browser to drive: the system's chromium if installed, else the npm package's build (with its own flags). */
async function browserLaunch(): Promise<{ executablePath: string; args: string[] }> {
  if (existsSync(SYSTEM_CHROMIUM)) return { executablePath: SYSTEM_CHROMIUM, args: FLAGS }
  // its AWS-Lambda flags include --single-process, which closes the browser with its first page
  const args = sparticuz.args.filter((flag) => flag !== '--single-process')
  return { executablePath: await sparticuz.executablePath(), args: [...new Set([...args, ...FLAGS])] }
}
const OUTPUT = join(import.meta.dirname, '..', '..', 'test-output')
const HOSTILE = '<script>alert("pwned")</script><img src=x onerror=alert(1)>'

const dir = mkdtempSync(join(tmpdir(), 'cascadelab-report-'))
const runDir = join(dir, 'run')
const sweepDir = join(dir, 'sweep')
let browser: Browser

beforeAll(async () => {
  mkdirSync(OUTPUT, { recursive: true })
  const scenario = join(dir, 'hostile.yaml')
  writeFileSync(scenario, `
name: ${JSON.stringify(`hostile ${HOSTILE}`)}
description: ${JSON.stringify(`</pre></table>${HOSTILE} & more`)}
durationMs: 120000
checkpointEvery: 2000
venue: { insuranceFund: 2000 }
price:
  shocks: [{ atMs: 30000, drop: 0.1, durationMs: 5000 }]
  impactTicksPerLot: 0.2
marketMakers: { count: 2, levels: 10, lotsPerLevel: 50 }
noiseTraders: { count: 3 }
population: { pairs: 60, lotsMax: 100, leverageMax: 30 }
`)
  expect(cli('run', scenario, '--seed', '4', '--out', runDir, '--quiet').code).toBe(0)
  const sweep = join(dir, 'sweep.yaml')
  writeFileSync(sweep, `
name: report-sweep
description: ${JSON.stringify(HOSTILE)}
base: hostile.yaml
set: { durationMs: 60000, price.shocks.0.atMs: 20000 }
axes:
  - { path: venue.insuranceFund, values: [0, 5000] }
  - { path: price.shocks.0.drop, values: [0.05, 0.1] }
seeds: [1, 2]
`)
  expect(cli('sweep', sweep, '--out', sweepDir, '--workers', '2', '--quiet').code).toBe(0)
  for (const d of [runDir, sweepDir]) expect(cli('report', d).code).toBe(0)
  browser = await chromium.launch(await browserLaunch())
})

afterAll(async () => {
  await browser?.close()
})

/** What the test counts in one chart of a report. */
interface ChartCounts { svg: number; lines: number; markers: number; bars: number; cells: number; bands: number; width: number }

/** Opens a report; returns console errors, page errors, dialogs and non-file requests seen. */
async function open(file: string, screenshot: string) {
  const page = await browser.newPage({ viewport: { width: 1150, height: 900 } })
  const problems: string[] = []
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`) })
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); void d.dismiss() })
  page.on('request', (r) => { if (!r.url().startsWith('file://')) problems.push(`network: ${r.url()}`) })
  await page.goto(`file://${file}`, { waitUntil: 'load' })
  const charts: Record<string, ChartCounts> = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('figure[data-chart]')].map((f) => [
    (f as HTMLElement).dataset.chart,
    {
      svg: f.querySelectorAll('svg').length, lines: f.querySelectorAll('path.line').length, markers: f.querySelectorAll('circle.marker').length,
      bars: f.querySelectorAll('rect.bar').length, cells: f.querySelectorAll('rect.cell').length, bands: f.querySelectorAll('polygon.band').length,
      width: f.querySelector('svg')!.getBoundingClientRect().width,
    },
  ])))
  const title = await page.title()
  const text = await page.evaluate(() => document.body.innerText)
  const path = join(OUTPUT, screenshot)
  await page.screenshot({ path, fullPage: true })
  await page.close()
  return { problems, charts, title, text, screenshot: path }
}

describe('reports in headless Chromium', () => {
  it('run report: no console errors or network, every chart drawn, markup shown as text, screenshot stored', async () => {
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'))
    expect(summary.metrics.liquidations).toBeGreaterThan(0)
    const page = await open(join(runDir, 'report.html'), 'report-run.png')
    expect(page.problems).toEqual([])
    expect(Object.keys(page.charts)).toEqual(['prices', 'cascade-window', 'liquidation-volume', 'insurance-fund', 'account-health'])
    for (const chart of Object.values(page.charts)) {
      expect(chart.svg).toBe(1)
      expect(chart.width).toBeGreaterThan(500)
    }
    expect(page.charts.prices!.lines).toBe(3) // external, oracle, mark
    expect(page.charts.prices!.markers).toBe(summary.metrics.liquidations)
    expect(page.charts['liquidation-volume']!.bars).toBeGreaterThan(0)
    expect(page.charts['insurance-fund']!.lines).toBe(2)
    expect(page.charts['account-health']!.bars).toBeGreaterThan(2)
    expect(page.title).toBe(`cascadelab run report: hostile ${HOSTILE}, seed 4`)
    expect(page.text).toContain(HOSTILE)
    expect(page.text).toContain(summary.journal.sha256)
    expect(page.text).toContain('cascadelab run')
    const png = readFileSync(page.screenshot)
    expect(png.subarray(1, 4).toString()).toBe('PNG')
    expect(statSync(page.screenshot).size).toBeGreaterThan(20_000)
  })

  it('sweep report: heatmaps over two axes and metric-vs-parameter lines with confidence bands', async () => {
    const page = await open(join(sweepDir, 'report.html'), 'report-sweep.png')
    expect(page.problems).toEqual([])
    const heatmaps = Object.entries(page.charts).filter(([name]) => name.startsWith('heatmap-'))
    const lines = Object.entries(page.charts).filter(([name]) => name.startsWith('lines-'))
    expect(heatmaps.length).toBeGreaterThanOrEqual(6)
    expect(lines.length).toBe(2 * heatmaps.length)
    for (const [, chart] of heatmaps) expect(chart.cells).toBe(4) // 2 × 2 variants
    for (const [, chart] of lines) {
      expect(chart.lines).toBe(2) // one line per value of the other axis
      expect(chart.bands).toBe(2) // 95% band over the 2 seeds
    }
    expect(page.text).toContain(HOSTILE)
    expect(readFileSync(page.screenshot).subarray(1, 4).toString()).toBe('PNG')
  })
})

describe('cascadelab reproduce', () => {
  it('re-runs a run report and a sweep report and confirms every digest', () => {
    let r = cli('reproduce', join(runDir, 'report.html'))
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/reproduced 1 run of .*: every journal sha-256 and state digest matches/)
    r = cli('reproduce', join(sweepDir, 'report.html'), '--workers', '2')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/reproduced 8 runs of .*every journal sha-256 and state digest matches/)
  })

  it('fails (exit 1) when a recorded digest does not match', () => {
    const html = readFileSync(join(runDir, 'report.html'), 'utf8')
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'))
    const doctored = join(dir, 'doctored.html')
    const digest: string = summary.journal.finalStateDigest
    writeFileSync(doctored, html.replaceAll(digest, `${digest.slice(0, -1)}${digest.endsWith('0') ? '1' : '0'}`))
    const r = cli('reproduce', doctored)
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/journal matches, state digest DIFFERS/)
    expect(r.stderr).toMatch(/1 of 1 run did not reproduce/)
    expect(cli('reproduce', join(runDir, 'summary.json')).stderr).toMatch(/not a cascadelab report/)
  })
})
