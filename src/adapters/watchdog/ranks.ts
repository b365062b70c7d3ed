// Which rank went silent: each rank's process (found in /proc by the run's run.json on its command line and RANK in
// its environment) and its own log. A stopped process (SIGSTOP, state T), a vanished one, or the one rank asleep in
// nanosleep while its peers wait in a collective is named; otherwise the watchdog says it could not tell.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface RankActivity {
  rank: number;
  pid?: number;
  /** /proc state letter: R running, S sleeping, D disk, T stopped, t traced, Z zombie; `gone` when no process. */
  procState: string;
  /** Kernel function the main thread waits in (/proc/PID/wchan). */
  wchan?: string;
  logMtimeMs?: number;
}

const read = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

/** Rank processes of this run on this host: their command line names `<runDir>/run.json`. */
export function rankProcesses(runDir: string): Map<number, number> {
  const marker = join(runDir, 'run.json');
  const found = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmd = read(`/proc/${entry}/cmdline`);
    if (!cmd || !cmd.split('\0').includes(marker) || !/python/.test(cmd.split('\0')[0] ?? '')) continue;
    const env = read(`/proc/${entry}/environ`)?.split('\0') ?? [];
    const rank = Number(env.find((e) => e.startsWith('RANK='))?.slice(5));
    if (Number.isInteger(rank) && !found.has(rank)) found.set(rank, Number(entry));
  }
  return found;
}

export function rankActivity(runDir: string, worldSize: number): RankActivity[] {
  const pids = rankProcesses(runDir);
  const out: RankActivity[] = [];
  for (let rank = 0; rank < worldSize; rank++) {
    const pid = pids.get(rank);
    const stat = pid === undefined ? undefined : read(`/proc/${pid}/stat`);
    // The state letter follows the parenthesised command name, which may itself hold spaces or parentheses.
    const procState = stat ? (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) || '?') : 'gone';
    const wchan = pid === undefined ? undefined : read(`/proc/${pid}/wchan`)?.trim();
    const log = join(runDir, `log-rank${rank}.out`);
    out.push({
      rank,
      ...(pid !== undefined ? { pid } : {}),
      procState,
      ...(wchan && wchan !== '0' ? { wchan } : {}),
      ...(existsSync(log) ? { logMtimeMs: statSync(log).mtimeMs } : {}),
    });
  }
  return out;
}

export interface SilentRank {
  rank: number;
  why: string;
}

/** The rank that stopped the job's progress, when the evidence singles one out. */
export function silentRank(ranks: readonly RankActivity[]): SilentRank | undefined {
  const stopped = ranks.filter((r) => r.procState === 'T' || r.procState === 't');
  if (stopped.length === 1) return { rank: stopped[0]!.rank, why: `process ${stopped[0]!.pid} is stopped (state T, e.g. SIGSTOP)` };
  const alive = ranks.filter((r) => r.procState !== 'gone');
  const gone = ranks.filter((r) => r.procState === 'gone');
  if (gone.length === 1 && alive.length > 0) return { rank: gone[0]!.rank, why: 'its process is gone while its peers still run' };
  const napping = alive.filter((r) => /nanosleep/.test(r.wchan ?? ''));
  if (napping.length === 1 && alive.length > 1) {
    return { rank: napping[0]!.rank, why: `process ${napping[0]!.pid} sleeps (${napping[0]!.wchan}) while its peers wait in a collective` };
  }
  return undefined;
}
