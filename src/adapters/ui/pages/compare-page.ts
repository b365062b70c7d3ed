// Two or more runs side by side: one summary table (a column per run, the seeds' shape) and overlaid charts.
import { chartSections, escapeHtml, renderSummaryTable, scriptJson, summaryTable, type ChartSpec, type ReportStep } from '../../../core/report/index.ts';
import type { RunRecord } from '../../store/index.ts';
import { layout } from './layout.ts';

export interface CompareRun {
  run: RunRecord;
  steps: ReportStep[];
}

const base = { animation: false, grid: { left: 64, right: 56, top: 56, bottom: 44 }, tooltip: { trigger: 'axis' }, legend: { top: 4, right: 8 }, dataZoom: [{ type: 'inside' }] };

function overlay(id: string, title: string, unit: string, runs: CompareRun[], pick: (s: ReportStep) => number | null): ChartSpec {
  const series = runs.map(({ run, steps }) => ({
    name: run.name, type: 'line', showSymbol: steps.length <= 200, sampling: steps.length > 2000 ? 'lttb' : undefined,
    data: steps.filter((s) => pick(s) !== null).map((s) => [s.step, pick(s)]),
  }));
  if (series.every((s) => s.data.length === 0)) return { id, title, option: null, empty: `None of these runs has ${title.toLowerCase()} values.` };
  return { id, title, empty: null, option: { ...base, xAxis: { type: 'value', name: 'step', nameLocation: 'middle', nameGap: 28 }, yAxis: { type: 'value', name: unit, scale: true }, series } };
}

function bars(runs: CompareRun[]): ChartSpec {
  const measured = runs.filter((r) => r.run.tokensPerS !== null);
  if (measured.length === 0) return { id: 'compare-throughput', title: 'Throughput', option: null, empty: 'None of these runs has a measured throughput yet.' };
  return {
    id: 'compare-throughput', title: 'Throughput and MFU', empty: null,
    option: { ...base, xAxis: { type: 'category', data: runs.map((r) => r.run.name) },
      yAxis: [{ type: 'value', name: 'tokens/s' }, { type: 'value', name: 'MFU %', min: 0, max: 100 }],
      series: [{ name: 'tokens/s', type: 'bar', data: runs.map((r) => r.run.tokensPerS) },
        { name: 'MFU %', type: 'bar', yAxisIndex: 1, data: runs.map((r) => (r.run.mfu === null ? null : Number((r.run.mfu * 100).toFixed(2)))) }] },
  };
}

export function compareCharts(runs: CompareRun[]): ChartSpec[] {
  return [overlay('compare-step-time', 'Step time', 'seconds per step', runs, (s) => s.stepTimeS), overlay('compare-loss', 'Loss', 'loss', runs, (s) => s.loss), bars(runs)];
}

export function comparePage(runs: CompareRun[], missing: string[], token: string): string {
  const note = missing.length ? `<div class="warnings">Not in the store: ${missing.map(escapeHtml).join(', ')}</div>` : '';
  if (runs.length < 2) {
    const body = `<h1>Compare runs</h1>${note}<p class="empty" id="compare-empty">Pick two or more runs on the <a href="/">runs page</a> (tick their boxes, then "Compare selected"), or open /compare?ids=ID1,ID2.</p>`;
    return layout('Compare', body, token);
  }
  const table = summaryTable('Run', runs.map(({ run }) => ({
    label: `${run.name} (${run.numGpus ?? '?'}x ${run.gpu ?? 'GPU'})`, stepTimeS: run.stepTimeS, tokensPerS: run.tokensPerS, mfu: run.mfu, days: null,
  })));
  const charts = compareCharts(runs);
  const body = `<h1>Compare ${runs.length} runs</h1>${note}${renderSummaryTable(table)}<div id="charts" class="compare-grid">${chartSections(charts)}</div>`;
  const script = `<script type="application/json" id="tb-data">${scriptJson({ charts })}</script>
<script>tbCharts(JSON.parse(document.getElementById('tb-data').textContent).charts);</script>`;
  return layout('Compare', body, token, script);
}
