// One audit finding: what was checked, the published figure as printed, what trainbench computes, the verdict.
import { printed } from '../catalog/printed.ts';
import type { Interval } from './expr.ts';
import { formatLike, judge } from './verdict.ts';
import type { Rule, Verdict } from './verdict.ts';

export interface AuditRow {
  /** Seed file the figure comes from (or `embedded-default`). */
  source: string;
  /** Catalog file holding it. */
  file: string;
  /** Recipe, example or log id the check is about. */
  subject: string;
  /** What was checked, e.g. "tokens/s = seq * gbs / step time". */
  check: string;
  published: string;
  computed: string;
  verdict: Verdict;
  rule: Rule;
  /** The numbers plugged in, so a reader can redo it. */
  detail: string;
}

export interface RowBase {
  source: string;
  file: string;
  subject: string;
  check: string;
  detail: string;
}

/** A figure recomputed from inputs: judged by the print-precision rule (see verdict.ts). */
export function figureRow(base: RowBase, publishedText: string, computed: Interval, scale = 1): AuditRow {
  const published = printed(publishedText);
  const c = { value: computed.value / scale, lo: computed.lo / scale, hi: computed.hi / scale };
  const { verdict, rule } = judge(published, c);
  const shown = formatLike(published, c.value);
  return { ...base, published: publishedText, computed: rule === 'input-precision' ? `${shown} (${formatLike(published, c.lo)}..${formatLike(published, c.hi)})` : shown, verdict, rule };
}

/** An exact fact (integers, equal settings). */
export function factRow(base: RowBase, published: string, computed: string, ok: boolean): AuditRow {
  return { ...base, published, computed, verdict: ok ? 'ok' : 'MISMATCH', rule: 'integer' };
}
