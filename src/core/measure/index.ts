// Measure door: windows, step-time statistics, results with assumptions, the seeds' table, comparison.
export { WINDOW_SYNTAX, applyWindow, describeWindow, parseWindow } from './window.ts';
export type { Window, WindowedSteps } from './window.ts';
export { stepTimeStats } from './stats.ts';
export type { StepTimeStats } from './stats.ts';
export { summarize } from './summarize.ts';
export { fillStepTimes } from './fill.ts';
export { deviceTimingCheck, renderDeviceTiming } from './device-timing.ts';
export type { DeviceTimingCheck } from './device-timing.ts';
export type { Result, RunFacts } from './summarize.ts';
export { formatStepTime, renderResultTable } from './render.ts';
export { compareFigures, figuresOf, renderComparison } from './compare.ts';
export type { Comparison, Figures, MetricComparison, Verdict } from './compare.ts';
