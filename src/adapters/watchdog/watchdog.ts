// The progress watchdog beside a running job: each check reads the newest step lines of the main log; when no new
// step has appeared for K x the median step time (policy.ts) it flags the stall once, with each rank's process state
// and the rank that went silent (ranks.ts), and writes `<runDir>/watchdog.json`. Cancelling is the caller's move.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTail } from '../executors/common.ts';
import { judgeStall, type StallVerdict, type WatchdogPolicy } from './policy.ts';
import { rankActivity, silentRank, type RankActivity, type SilentRank } from './ranks.ts';

export const WATCHDOG_FILE = 'watchdog.json';

export interface WatchdogReport {
  flaggedAt: string;
  policy: WatchdogPolicy;
  verdict: StallVerdict;
  silent?: SilentRank;
  ranks: RankActivity[];
  message: string;
}

export interface WatchdogOptions {
  logFile: string;
  runDir: string;
  worldSize: number;
  policy: WatchdogPolicy;
  now?: () => number;
}

const STEP_LINE = /iteration (\d+)\/\d+ \|.*train_step_timing in s: ([0-9.eE+-]+)/g;

export function stepsInLog(logFile: string): { lastStep: number; times: number[] } {
  let lastStep = -1;
  const times: number[] = [];
  for (const m of readTail(logFile, 256 * 1024).matchAll(STEP_LINE)) {
    lastStep = Number(m[1]);
    times.push(Number(m[2]));
  }
  return { lastStep, times };
}

export interface Watchdog {
  /** undefined until the job stalls; the report once, on the check that flags it; undefined again afterwards. */
  check(): WatchdogReport | undefined;
  readonly report: WatchdogReport | undefined;
}

export function createWatchdog(o: WatchdogOptions): Watchdog {
  const now = o.now ?? Date.now;
  let lastStep = -1;
  let lastChange = now();
  let report: WatchdogReport | undefined;
  return {
    get report() {
      return report;
    },
    check() {
      if (report) return undefined;
      const seen = stepsInLog(o.logFile);
      if (seen.lastStep !== lastStep) {
        lastStep = seen.lastStep;
        lastChange = now();
        return undefined;
      }
      const verdict = judgeStall(seen.times, lastStep, (now() - lastChange) / 1000, o.policy);
      if (!verdict?.stalled) return undefined;
      const ranks = rankActivity(o.runDir, o.worldSize);
      const silent = silentRank(ranks);
      const p = o.policy;
      const message =
        `no new step for ${verdict.silentForS.toFixed(0)} s after step ${lastStep} ` +
        `(watchdog: ${p.k} x median step time ${verdict.medianStepS.toFixed(2)} s, at least ${p.minStallS} s); ` +
        (silent ? `rank ${silent.rank} went silent: ${silent.why}` : `no single rank stands out (${ranks.map((r) => `rank ${r.rank} ${r.procState}${r.wchan ? `/${r.wchan}` : ''}`).join(', ')})`);
      report = { flaggedAt: new Date(now()).toISOString(), policy: p, verdict, ...(silent ? { silent } : {}), ranks, message };
      writeFileSync(join(o.runDir, WATCHDOG_FILE), JSON.stringify(report, null, 2) + '\n');
      return report;
    },
  };
}
