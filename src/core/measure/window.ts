// Which logged steps a figure averages over. Every Result states its window next to the figures, because warm-up
// steps, checkpoints and evaluation make "the step time" depend on it (seed 000: last 20 steps; 001/002: last step).
import { usageError } from '../errors.ts';
import type { ParseOutput, StepRecord } from '../ingest/index.ts';

export type Window =
  | { kind: 'last'; n: number }
  | { kind: 'skip'; first: number }
  | { kind: 'skip-pct'; pct: number }
  | { kind: 'range'; from: number; to: number }
  | { kind: 'all' };

export const WINDOW_SYNTAX = 'last:N | skip:N | skip-pct:P | range:FROM-TO | all';

export function parseWindow(spec: string): Window {
  const s = spec.trim();
  const bad = () =>
    usageError(`invalid window '${spec}'`, { code: 'invalid-window', hint: `use ${WINDOW_SYNTAX}, e.g. --window last:20` });
  if (s === 'all') return { kind: 'all' };
  const m = /^(last|skip|skip-pct|range):(\d+(?:\.\d+)?)(?:-(\d+))?$/.exec(s);
  if (!m) throw bad();
  const a = Number(m[2]);
  if (m[1] === 'range') {
    if (m[3] === undefined || !Number.isInteger(a) || Number(m[3]) < a) throw bad();
    return { kind: 'range', from: a, to: Number(m[3]) };
  }
  if (m[3] !== undefined) throw bad();
  if (m[1] === 'skip-pct') {
    if (a >= 100) throw bad();
    return { kind: 'skip-pct', pct: a };
  }
  if (!Number.isInteger(a) || (m[1] === 'last' && a < 1)) throw bad();
  return m[1] === 'last' ? { kind: 'last', n: a } : { kind: 'skip', first: a };
}

export function describeWindow(w: Window): string {
  switch (w.kind) {
    case 'last':
      return `last ${w.n} logged step${w.n === 1 ? '' : 's'}`;
    case 'skip':
      return `all logged steps after the first ${w.first}`;
    case 'skip-pct':
      return `all logged steps after the first ${w.pct}%`;
    case 'range':
      return `steps ${w.from} to ${w.to}`;
    case 'all':
      return 'all logged steps';
  }
}

export interface WindowedSteps {
  steps: StepRecord[];
  /** Timed records available before the window was applied. */
  available: number;
  notes: string[];
}

/**
 * Timed records (those with a step time) of the last run segment, cut to the window. After a restart (step counter
 * going back) only the records after the last restart count: they are the run that produced the file's end.
 */
export function applyWindow(out: Pick<ParseOutput, 'steps' | 'restarts'>, w: Window): WindowedSteps {
  const notes: string[] = [];
  let records = out.steps;
  const lastRestart = out.restarts[out.restarts.length - 1];
  if (lastRestart) {
    const at = records.findIndex((s) => s.line >= lastRestart.line);
    records = at < 0 ? records : records.slice(at);
    notes.push(`${out.restarts.length} restart(s) in the log: only steps after line ${lastRestart.line} count`);
  }
  const timed = records.filter((s) => s.stepTimeS !== undefined);
  let steps: StepRecord[];
  switch (w.kind) {
    case 'last':
      steps = timed.slice(-w.n);
      break;
    case 'skip':
      steps = timed.slice(w.first);
      break;
    case 'skip-pct':
      steps = timed.slice(Math.floor((timed.length * w.pct) / 100));
      break;
    case 'range':
      steps = timed.filter((s) => s.step >= w.from && s.step <= w.to);
      break;
    case 'all':
      steps = timed;
      break;
  }
  if (w.kind === 'last' && timed.length < w.n && timed.length > 0) {
    notes.push(`only ${timed.length} timed step(s) in the log, fewer than the ${w.n} asked for`);
  }
  return { steps, available: timed.length, notes };
}
