// The HTML shell of a report: one self-contained file (inline CSS and SVG, no scripts, no
// network), with every piece of text escaped — scenario names and descriptions come from user
// files — and the provenance embedded as JSON in a non-executed script element, escaped so that
// no text can close the element early.

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string)
}

/** JSON safe inside <script type="application/json">: <, >, & and line separators as \u escapes. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** The id of the script element holding a report's provenance. */
export const PROVENANCE_ELEMENT_ID = 'cascadelab-provenance'

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1100px;padding:16px 24px;color:#1b1f24;background:#fff}
h1{font-size:22px;margin:8px 0}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
h3{font-size:14px;margin:16px 0 4px}
table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #d0d7de;padding:3px 8px;text-align:right}th{background:#f6f8fa}
td.l,th.l{text-align:left}pre{background:#f6f8fa;padding:8px;overflow:auto;max-height:360px;font-size:12px}
figure{margin:10px 0}figcaption{font-size:12px;color:#57606a}.muted{color:#57606a}
svg text{font:11px system-ui,sans-serif;fill:#1b1f24}.grid{stroke:#eaeef2}.axis{stroke:#57606a}
`

/** A complete HTML document; `body` must already be escaped markup. */
export function htmlPage(title: string, body: string, provenance: unknown): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
${body}
<script type="application/json" id="${PROVENANCE_ELEMENT_ID}">${jsonForScript(provenance)}</script>
</body>
</html>
`
}

/** The provenance JSON embedded in a report's HTML, or null if there is none. */
export function extractProvenance(html: string): unknown {
  const open = `<script type="application/json" id="${PROVENANCE_ELEMENT_ID}">`
  const start = html.indexOf(open)
  if (start < 0) return null
  const end = html.indexOf('</script>', start + open.length)
  if (end < 0) return null
  return JSON.parse(html.slice(start + open.length, end))
}

/** A table from rows of cells (escaped here); the first `leftColumns` columns align left. */
export function htmlTable(header: readonly string[], rows: readonly (readonly (string | number)[])[], leftColumns = 1): string {
  const cell = (tag: string, value: string | number, k: number): string =>
    `<${tag}${k < leftColumns ? ' class="l"' : ''}>${escapeHtml(String(value))}</${tag}>`
  return `<table><thead><tr>${header.map((h, k) => cell('th', h, k)).join('')}</tr></thead><tbody>${
    rows.map((row) => `<tr>${row.map((v, k) => cell('td', v, k)).join('')}</tr>`).join('')}</tbody></table>`
}
