// Parsers for what Slurm's client commands print: `scontrol show job -o`, `squeue -h -o '%i|%T|%r'` and `sacct -P`.
// Pure functions over text; the slurm executor runs the commands.
import { mapSlurmState } from './slurm-state.ts';
import { parseExitPair } from './state.ts';
import type { JobState } from './state.ts';

/** `Key=Value Key2=Value with spaces ...` (one job per line with -o) -> fields. A value runs until the next ` Key=`. */
export function parseScontrolFields(line: string): Record<string, string> {
  const fields: Record<string, string> = {};
  // Keys look like `JobId`, `AllocNode:Sid`, `CPUs/Task`, `ReqB:S:C:T`; values may hold spaces (Command, Reason).
  const re = /(?:^|\s)([A-Za-z][A-Za-z0-9_:/]*)=/g;
  const hits = [...line.matchAll(re)];
  hits.forEach((hit, i) => {
    const key = hit[1] ?? '';
    const start = (hit.index ?? 0) + hit[0].length;
    const next = hits[i + 1];
    const end = next ? (next.index ?? line.length) : line.length;
    fields[key] = line.slice(start, end).trim();
  });
  return fields;
}

export interface ScontrolJob {
  jobId: string;
  name: string;
  state: JobState;
  fields: Record<string, string>;
}

/** Every job in `scontrol show job -o [ID]` output. */
export function parseScontrolShowJob(text: string): ScontrolJob[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('JobId='))
    .map((line) => {
      const fields = parseScontrolFields(line);
      const exit = parseExitPair(fields.ExitCode);
      const reason = fields.Reason;
      return {
        jobId: fields.JobId ?? '',
        name: fields.JobName ?? '',
        state: mapSlurmState({ state: fields.JobState ?? '', ...(reason ? { reason } : {}), ...exit }),
        fields,
      };
    });
}

export const SQUEUE_FORMAT = '%i|%T|%r|%j';

/** `squeue -h -o '%i|%T|%r|%j'` lines -> job id, state and name. */
export function parseSqueue(text: string): { jobId: string; name: string; state: JobState }[] {
  return text
    .split('\n')
    .filter((l) => l.includes('|'))
    .map((line) => {
      const [jobId = '', state = '', reason = '', ...name] = line.split('|');
      return { jobId: jobId.trim(), name: name.join('|'), state: mapSlurmState({ state, reason }) };
    });
}

export const SACCT_FORMAT = 'JobID,JobName,State,ExitCode,Reason';

/** `sacct -P -j ID --format=JobID,JobName,State,ExitCode[,Reason]` -> the allocation's row (not `.batch`, `.0`). */
export function parseSacct(text: string, jobId?: string): { jobId: string; state: JobState } | undefined {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const header = lines[0]?.split('|').map((h) => h.trim());
  if (!header || !header.includes('JobID') || !header.includes('State')) return undefined;
  const col = (row: string[], name: string) => row[header.indexOf(name)]?.trim();
  for (const line of lines.slice(1)) {
    const row = line.split('|');
    const id = col(row, 'JobID') ?? '';
    if (id.includes('.') || (jobId !== undefined && id !== jobId)) continue;
    const reason = col(row, 'Reason');
    const state = mapSlurmState({
      state: col(row, 'State') ?? '',
      ...(reason ? { reason } : {}),
      ...parseExitPair(col(row, 'ExitCode')),
    });
    return { jobId: id, state };
  }
  return undefined;
}
