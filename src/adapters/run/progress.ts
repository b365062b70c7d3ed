// The live progress line of `trainbench run`: the newest step line in the rank-0 log, the step time it printed, and
// an ETA from the median step time so far (warm-up steps would skew a mean).
import { readTail } from '../executors/common.ts';

export interface Progress {
  step: number;
  totalSteps: number;
  stepTimeS: number;
  etaS: number;
}

const stepLine = /iteration (\d+)\/(\d+) \|.*train_step_timing in s: ([0-9.eE+-]+)/g;

export function progressFromLog(logFile: string): Progress | undefined {
  const text = readTail(logFile, 256 * 1024);
  const times: number[] = [];
  let last: RegExpExecArray | undefined;
  for (const m of text.matchAll(stepLine)) {
    times.push(Number(m[3]));
    last = m as RegExpExecArray;
  }
  if (!last) return undefined;
  const step = Number(last[1]) + 1;
  const totalSteps = Number(last[2]) + 1;
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return { step, totalSteps, stepTimeS: Number(last[3]), etaS: Math.max(0, totalSteps - step) * median };
}

export const formatProgress = (p: Progress): string =>
  `step ${p.step}/${p.totalSteps}  step time ${p.stepTimeS.toFixed(3)} s  ETA ${Math.round(p.etaS)} s`;
