// The dashboard page frame: nav, CSS shared with the HTML report, echarts from /static, the per-start token.
import { BASE_CSS, CHART_CLIENT, escapeHtml } from '../../../core/report/index.ts';

export function layout(title: string, body: string, token: string, scripts = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="trainbench-token" content="${escapeHtml(token)}">
<title>${escapeHtml(title)} · trainbench</title>
<style>${BASE_CSS}
body { max-width: 1300px; } .runs td, .runs th { font-size: 13px; } .state-FAILED, .state-OUT_OF_MEMORY, .state-TIMEOUT { color: #b52a2a; }
.state-RUNNING { color: #1f6fd1; } form.filters input, form.filters select { margin-right: 8px; } .pager a, .pager span { margin-right: 12px; }
.compare-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 12px; }
</style>
<script src="/static/echarts.min.js"></script>
</head><body>
<nav><a href="/">Runs</a><a href="/compare">Compare</a></nav>
${body}
<script>${CHART_CLIENT}</script>
${scripts}
</body></html>
`;
}

export const fmtNum = (v: number | null, digits = 3) => (v === null ? '' : String(Number(v.toFixed(digits))));
export const fmtPct = (v: number | null) => (v === null ? '' : `${(v * 100).toFixed(1)}%`);
