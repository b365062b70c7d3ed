// One run: summary, assumptions, the report's charts; while the run is live the page polls its JSON every 2 s.
import { buildCharts, chartSections, escapeHtml, renderList, renderSummaryTable, scriptJson, type ReportInput } from '../../../core/report/index.ts';
import { layout } from './layout.ts';

export const LIVE_STATES = new Set(['PENDING', 'RUNNING']);

export function runPage(id: string, state: string, input: ReportInput, token: string): string {
  const charts = buildCharts(input);
  const live = LIVE_STATES.has(state);
  const body = `<h1 id="run-title">${escapeHtml(input.title)}</h1> <button type="button" id="rename">Rename</button>
<p class="subtitle" id="run-subtitle">${escapeHtml(input.subtitle ?? '')}</p>
<p class="note" id="live">${live ? 'Live: refreshing every 2 s while the run is ' + escapeHtml(state) + '.' : ''}</p>
<div id="summary">${renderSummaryTable(input.summary)}</div>
<h2>Assumptions</h2><div id="assumptions">${renderList(input.assumptions, 'assumptions', 'No assumptions were recorded.')}</div>
<p class="note"><a href="/api/runs/${encodeURIComponent(id)}/steps">steps (JSON)</a> · <a href="/api/runs/${encodeURIComponent(id)}/telemetry">telemetry (JSON)</a></p>
<div id="charts">${chartSections(charts)}</div>`;
  const script = `<script type="application/json" id="tb-data">${scriptJson({ id, charts, live })}</script>
<script>
var tb = JSON.parse(document.getElementById('tb-data').textContent);
tbCharts(tb.charts);
function poll() {
  fetch('/api/runs/' + encodeURIComponent(tb.id) + '/report').then(function (r) { return r.json(); }).then(function (d) {
    tbCharts(d.charts);
    document.getElementById('summary').innerHTML = d.summaryHtml;
    document.getElementById('live').textContent = d.live ? 'Live: refreshing every 2 s while the run is ' + d.state + '.' : 'Run ' + d.state + '.';
    if (d.live) setTimeout(poll, 2000);
  }).catch(function () { setTimeout(poll, 5000); });
}
if (tb.live) setTimeout(poll, 2000);
// The one state change: POST with the token this dashboard minted at start (a cross-site page cannot read it).
document.getElementById('rename').addEventListener('click', function () {
  var name = prompt('New name for this run', document.getElementById('run-title').textContent);
  if (!name) return;
  var token = document.querySelector('meta[name=trainbench-token]').content;
  fetch('/api/runs/' + encodeURIComponent(tb.id) + '/name', { method: 'POST', headers: { 'content-type': 'application/json', 'x-trainbench-token': token }, body: JSON.stringify({ name: name }) })
    .then(function (r) { return r.json(); })
    .then(function (d) { if (d.name) { document.getElementById('run-title').textContent = d.name; document.title = d.name + ' · trainbench'; } else alert(d.error); });
});
</script>`;
  return layout(input.title, body, token, script);
}
