// The fault-injection suite: each fault on the real single-host Slurm with the real workload, its outcome checked by
// assertions, one table row each. Short mode (CI) runs the faults marked `short` with small step counts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { cudaOom, ncclTimeout, pythonError, rankKilled, rankStopped, scancelMidRun } from './faults-crash.ts';
import { purgedNoAccounting, trainbenchKilled } from './faults-reattach.ts';
import { nodeDown } from './faults-node.ts';
import { preemptionSignal, timeLimit } from './faults-resume.ts';
import type { SuiteContext } from './harness.ts';
import { renderTable, summaryLine, type FaultRow } from './row.ts';
import type { Fault } from './types.ts';

/** In order: the purged-job check reads the runs the faults before it left. */
export const FAULTS: readonly Fault[] = [
  scancelMidRun, preemptionSignal, timeLimit, nodeDown, rankKilled, rankStopped, cudaOom, ncclTimeout, pythonError, trainbenchKilled, purgedNoAccounting,
];

export function slurmUp(): boolean {
  return spawnSync('sinfo', ['-h', '-o', '%t'], { encoding: 'utf8', timeout: 15_000 }).status === 0;
}

export interface SuiteResult {
  rows: FaultRow[];
  table: string;
  summary: string;
  failed: number;
}

export async function runSuite(o: { short: boolean; only?: string[]; log?: (line: string) => void }): Promise<SuiteResult> {
  const home = mkdtempSync(join(tmpdir(), 'tb-faults-'));
  const log = o.log ?? (() => undefined);
  const ctx: SuiteContext = { home, env: { ...process.env, TRAINBENCH_HOME: home }, short: o.short, log };
  const rows: FaultRow[] = [];
  try {
    for (const f of FAULTS) {
      if (o.short && !f.short) continue;
      if (o.only && !o.only.some((w) => f.name.includes(w))) continue;
      const t0 = Date.now();
      log(`fault: ${f.name} ...`);
      let row: FaultRow;
      try {
        const r = await f.run(ctx);
        row = { fault: f.name, expected: f.expected, ...r, seconds: (Date.now() - t0) / 1000 };
      } catch (error) {
        const msg = (error as Error).message;
        row = { fault: f.name, expected: f.expected, observed: `error: ${msg.split('\n')[0]}`, stepsLost: '-', dataLost: '-', pass: false, failures: [msg], seconds: (Date.now() - t0) / 1000 };
      }
      log(`  ${row.pass === true ? 'pass' : row.pass === false ? 'FAIL' : 'skipped'} in ${row.seconds.toFixed(0)} s: ${row.observed}`);
      rows.push(row);
    }
  } finally {
    if (process.env.TRAINBENCH_FAULTS_KEEP) log(`kept ${home}`);
    else rmSync(home, { recursive: true, force: true });
  }
  return { rows, table: renderTable(rows), summary: summaryLine(rows), failed: rows.filter((r) => r.pass === false).length };
}
