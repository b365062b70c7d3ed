// The report door: pure builders for chart specs and the self-contained HTML report.
export type { ReportInput, ReportStep, SummaryTable, HeadlineMetrics, ScalingPoint, ChartSpec } from './types.ts';
export { buildCharts, stepTimeChart, lossChart, baselineChart, scalingChart } from './charts.ts';
export { telemetryCharts } from './telemetry-charts.ts';
export { renderReportHtml, renderSummaryTable, renderList } from './html.ts';
export { summaryTable, throughputLabel, type SummaryColumn } from './summary.ts';
export { CHART_CLIENT, BASE_CSS, chartSections } from './client.ts';
export { escapeHtml, scriptJson, inlineScript } from './escape.ts';
export { reportFromResult, reportSteps, type FromResultOptions } from './from-result.ts';
