// Pieces both executors share: polling until a job ends, and the last lines of a log as a failure reason.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { isTerminal } from '../../core/jobs/state.ts';
import type { JobState } from '../../core/jobs/state.ts';
import type { JobHandle, WaitOptions } from './types.ts';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function pollUntilDone(
  status: (h: JobHandle) => Promise<JobState>,
  handle: JobHandle,
  options: WaitOptions,
  defaultPollMs: number,
): Promise<JobState> {
  const pollMs = options.pollMs ?? defaultPollMs;
  const deadline = options.timeoutMs !== undefined ? Date.now() + options.timeoutMs : Infinity;
  for (;;) {
    const state = await status(handle);
    options.onPoll?.(state);
    // A job Slurm says can never start would be waited on forever: hand it back to the caller.
    if (isTerminal(state) || (state.state === 'PENDING' && state.stuck) || Date.now() >= deadline) return state;
    await sleep(pollMs);
  }
}

/** Reads at most the last `maxBytes` of a file (logs can be gigabytes). */
export function readTail(file: string, maxBytes = 64 * 1024): string {
  if (!existsSync(file)) return '';
  const size = statSync(file).size;
  const start = Math.max(0, size - maxBytes);
  const buf = Buffer.alloc(size - start);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, buf.length, start);
  } finally {
    closeSync(fd);
  }
  return buf.toString('utf8');
}

/** The last non-empty lines of a log, without scheduler chatter: the reason shown for a failed rank. */
export function logTailReason(file: string, lines = 6): string | undefined {
  const text = readTail(file)
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '' && !/^(srun|slurmstepd(-\S+)?): /.test(l));
  const tail = text.slice(-lines).join('\n');
  return tail || undefined;
}
