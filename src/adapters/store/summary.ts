// Lifts the figures `results list` sorts on out of a measured result, whatever its exact shape: the result model
// belongs to core/measure and may grow, so keys are matched loosely (camelCase or snake_case, a number or an object
// holding `meanS`/`mean`/`value`), one level deep. core/measure's Result (`stepTime.meanS`, `tokensPerS`, `mfu`) is
// the main case.
import type { ResultSummary } from './types.ts';

const STEP_TIME = ['meansteptimes', 'meansteptime', 'steptimemeans', 'steptimemean', 'steptimes', 'steptime'];
const TOKENS = ['tokenspers', 'tokenspersecond', 'tokenspersec', 'meantokenspers', 'tokenssec', 'throughputtokenspers'];
const MFU = ['mfu', 'meanmfu', 'mfumean'];

const norm = (key: string) => key.toLowerCase().replace(/[^a-z]/g, '');

function figure(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value !== null && typeof value === 'object') {
    const inner = value as Record<string, unknown>;
    return figure(inner.meanS ?? inner.mean ?? inner.value ?? null);
  }
  return null;
}

function find(result: Record<string, unknown>, names: readonly string[]): number | null {
  const levels: Record<string, unknown>[] = [result];
  for (const value of Object.values(result)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) levels.push(value as Record<string, unknown>);
  }
  for (const name of names) {
    for (const level of levels) {
      for (const [key, value] of Object.entries(level)) {
        if (norm(key) === name) {
          const found = figure(value);
          if (found !== null) return found;
        }
      }
    }
  }
  return null;
}

export function summariseResult(result: unknown): ResultSummary {
  if (result === null || typeof result !== 'object' || Array.isArray(result)) return { stepTimeS: null, tokensPerS: null, mfu: null };
  const r = result as Record<string, unknown>;
  return { stepTimeS: find(r, STEP_TIME), tokensPerS: find(r, TOKENS), mfu: find(r, MFU) };
}
