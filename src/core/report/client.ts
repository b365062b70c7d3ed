// The browser side, as a string: draws ChartSpec[] into #charts, creating sections that do not exist yet and
// updating those that do (the dashboard calls it again on every poll). Shared by the static report and the dashboard.
import { escapeHtml } from './escape.ts';
import type { ChartSpec } from './types.ts';

export const CHART_CLIENT = `
function tbCharts(specs) {
  var root = document.getElementById('charts');
  specs.forEach(function (spec) {
    var section = document.getElementById('section-' + spec.id);
    if (!section) {
      section = document.createElement('section');
      section.id = 'section-' + spec.id;
      section.className = 'chart-section';
      section.innerHTML = '<h2></h2><p class="note"></p><div class="chart" id="chart-' + spec.id + '"></div><p class="empty"></p>';
      root.appendChild(section);
    }
    section.querySelector('h2').textContent = spec.title;
    section.querySelector('.note').textContent = spec.note || '';
    var el = section.querySelector('.chart');
    var empty = section.querySelector('.empty');
    empty.textContent = spec.empty || '';
    el.style.display = spec.option ? '' : 'none';
    empty.style.display = spec.option ? 'none' : '';
    if (spec.option) {
      var chart = echarts.getInstanceByDom(el) || echarts.init(el);
      chart.setOption(spec.option, true);
    }
  });
  document.body.setAttribute('data-charts-ready', String(specs.length));
}
window.addEventListener('resize', function () {
  document.querySelectorAll('.chart').forEach(function (el) { var c = echarts.getInstanceByDom(el); if (c) c.resize(); });
});
`;

/** Server-side skeleton of the chart sections, so titles and empty-state explanations show even before scripts run. */
export function chartSections(specs: ChartSpec[]): string {
  return specs
    .map((s) => `<section class="chart-section" id="section-${escapeHtml(s.id)}"><h2>${escapeHtml(s.title)}</h2>` +
      `<p class="note">${escapeHtml(s.note ?? '')}</p><div class="chart" id="chart-${escapeHtml(s.id)}"${s.option ? '' : ' style="display:none"'}></div>` +
      `<p class="empty"${s.option ? ' style="display:none"' : ''}>${escapeHtml(s.empty ?? '')}</p></section>`)
    .join('\n');
}

export const BASE_CSS = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 16px 24px; color: #1d2330; background: #fff; }
h1 { font-size: 22px; margin: 8px 0 2px; } h2 { font-size: 16px; margin: 22px 0 4px; }
.subtitle, .note { color: #5b6475; margin: 2px 0 6px; }
table { border-collapse: collapse; margin: 8px 0; } th, td { border: 1px solid #d5d9e2; padding: 4px 10px; text-align: right; }
th:first-child, td:first-child { text-align: left; } thead th { background: #f2f4f8; }
.chart { width: 100%; height: 300px; }
.empty { padding: 18px; background: #f7f7f9; border: 1px dashed #c8ccd6; color: #444c5c; border-radius: 4px; }
.warnings { background: #fff6e5; border: 1px solid #f0c36d; padding: 6px 14px; border-radius: 4px; }
ul.assumptions li { margin: 2px 0; }
nav a { margin-right: 14px; }
`;
