import type { SuiteContext } from './harness.ts';
import type { FaultRow } from './row.ts';

export type FaultResult = Pick<FaultRow, 'observed' | 'stepsLost' | 'dataLost' | 'pass' | 'failures'>;

export interface Fault {
  name: string;
  expected: string;
  /** Part of the short (CI) mode too, not only the full run. */
  short: boolean;
  run(ctx: SuiteContext): Promise<FaultResult>;
}

/** Steps stored vs step lines logged: the metrics a fault must not lose (or record twice). */
export function dataLoss(stored: number, logged: number): string {
  if (stored === logged) return '0';
  return stored < logged ? `${logged - stored} steps not stored` : `${stored - logged} extra rows`;
}
