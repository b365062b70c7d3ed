// Shared echarts option pieces. Options are plain JSON (no formatter functions) so the same spec can be inlined in a
// static report or served by the dashboard's JSON API.

export type Point = [number, number | null];

export const baseOption = (yName: string, xName = 'step', xType: 'value' | 'time' = 'value') => ({
  animation: false,
  grid: { left: 64, right: 24, top: 36, bottom: 44 },
  tooltip: { trigger: 'axis' },
  xAxis: { type: xType, name: xName, nameLocation: 'middle', nameGap: 28, scale: true },
  yAxis: { type: 'value', name: yName, scale: true },
  dataZoom: [{ type: 'inside' }],
});

/** A line series; big series are down-sampled by echarts (lttb) and drawn without symbols. */
export const line = (name: string, data: Point[], extra: Record<string, unknown> = {}) => ({
  name,
  type: 'line',
  data,
  connectNulls: false,
  showSymbol: data.length <= 200,
  symbolSize: 4,
  sampling: data.length > 2000 ? 'lttb' : undefined,
  ...extra,
});

/** Legend top-right, with the plot pushed down so it clears the axis names. */
export const withLegend = (option: Record<string, unknown>) => ({ ...option, grid: { left: 64, right: 56, top: 56, bottom: 44 }, legend: { top: 4, right: 8 } });
