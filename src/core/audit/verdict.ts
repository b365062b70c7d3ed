// The audit's tolerance rule, in one place.
//
// A published figure printed as P (one unit u in its last digit) admits the true values [P - u/2, P + u): rounding
// gives [P - u/2, P + u/2), truncation [P, P + u), and the seeds do both (99296.97 tokens/s is printed "99296",
// 196.69 days is printed "197"). A recomputed figure is
//   ok (exact)            when the value computed from the printed inputs falls in that range;
//   ok (input precision)  when not, but some inputs that print the same way (a step time "0.95" may have been 0.9498;
//                         a peak "989" may have been 989.5) give a value in it — pure print rounding, not flagged;
//   MISMATCH              otherwise.
// Integer facts (world size, divisibility, step counts) must match exactly.
import { admittedInterval } from '../catalog/printed.ts';
import type { PrintedNumber } from '../catalog/printed.ts';
import type { Interval } from './expr.ts';

export type Verdict = 'ok' | 'MISMATCH';
export type Rule = 'exact' | 'input-precision' | 'integer';

/** Slack for floating-point noise only: a millionth of the printed unit, never print precision itself. */
const NOISE = 1e-6;

export function judge(published: PrintedNumber, computed: Interval): { verdict: Verdict; rule: Rule } {
  const [lo, hi] = admittedInterval(published);
  const slack = published.unit * NOISE;
  const inside = (v: number) => v >= lo - slack && (v < hi - slack || (published.comparator !== undefined && v <= hi));
  if (inside(computed.value)) return { verdict: 'ok', rule: 'exact' };
  const overlaps = computed.hi >= lo - slack && computed.lo < hi - slack;
  return overlaps ? { verdict: 'ok', rule: 'input-precision' } : { verdict: 'MISMATCH', rule: 'exact' };
}

/** Shows a computed value like the published one, with one more digit so near misses are visible. */
export function formatLike(published: PrintedNumber, value: number): string {
  const p = published.printed.replace(/^[<>]\s*/, '');
  if (published.kind === 'duration') {
    const s = Math.abs(value);
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const sec = (s % 60).toFixed(1).padStart(4, '0');
    return `${h}:${String(m).padStart(2, '0')}:${sec}`;
  }
  const sci = /[eE]/.exec(p);
  if (sci) {
    const mantissa = p.slice(0, sci.index).replace(/%$/, '');
    const decimals = mantissa.includes('.') ? mantissa.length - mantissa.indexOf('.') - 1 : 0;
    return value.toExponential(decimals + 1).toUpperCase();
  }
  const digits = p.replace(/%$/, '');
  const decimals = digits.includes('.') ? digits.length - digits.indexOf('.') - 1 : 0;
  return `${value.toFixed(decimals + 1)}${published.kind === 'percent' ? '%' : ''}`;
}
