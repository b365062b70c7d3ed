// Slurm endings (FORMATS.md §8): time limit (JOB or STEP), node failure, cancellation/preemption, plus sacct states.
import { cite, findAll } from './lines.ts';
import type { TailLine } from './lines.ts';
import type { FailureInput, Finding } from './types.ts';

const MARKER = /\*\*\* (JOB|STEP) ([\w.+]+) ON (\S+) CANCELLED AT (\S+)(?: DUE (?:TO|to) ([^*]+?))? \*\*\*/;

export function slurmEnding(lines: readonly TailLine[], input: FailureInput): Finding | undefined {
  const hits = findAll(lines, MARKER);
  const state = input.slurmState?.toUpperCase() ?? '';
  const nodeFailLines = findAll(lines, /srun: error: Node failure on (\S+)/);
  const reason = (h: (typeof hits)[number]) => (h.m[5] ?? '').toUpperCase();
  const pick = (want: (r: string) => boolean) => hits.filter((h) => want(reason(h)));
  const detailsOf = (h: (typeof hits)[number] | undefined) =>
    h ? { entity: h.m[1]!, id: h.m[2]!, node: h.m[3]!, at: h.m[4]!, ...(h.m[5] ? { reason: h.m[5].trim() } : {}) } : {};

  const limit = pick((r) => r.startsWith('TIME LIMIT'));
  if (limit.length || state === 'TIMEOUT') {
    const h = limit[0];
    return {
      kind: 'slurm_time_limit',
      summary: h ? `Slurm time limit reached (${h.m[1]} ${h.m[2]} on ${h.m[3]} at ${h.m[4]})` : 'Slurm time limit reached (state TIMEOUT)',
      evidence: limit.slice(0, 2).map((x) => cite(x.l, x.m.index)),
      details: { ...detailsOf(h), ...(state ? { slurmState: state } : {}) },
    };
  }
  const node = pick((r) => r.startsWith('NODE FAIL'));
  if (node.length || nodeFailLines.length || state === 'NODE_FAIL') {
    const h = node[0];
    return {
      kind: 'node_fail',
      summary: `a node failed${h ? ` (${h.m[3]})` : nodeFailLines[0] ? ` (${nodeFailLines[0].m[1]})` : ''}`,
      evidence: [...node, ...nodeFailLines].slice(0, 3).map((x) => cite(x.l, x.m.index)),
      details: { ...detailsOf(h), ...(state ? { slurmState: state } : {}) },
    };
  }
  // A bare marker (<= 24.11), `DUE to SIGNAL ...` (>= 25.05) or preemption: somebody or something stopped the job.
  const cancel = pick((r) => r === '' || r.startsWith('SIGNAL') || r.startsWith('PREEMPTION') || r.startsWith('JOB REQUEUE'));
  if (cancel.length || state.startsWith('CANCELLED') || state === 'PREEMPTED') {
    const h = cancel[0];
    return {
      kind: 'cancelled',
      summary: `job cancelled${h?.m[5] ? ` (${h.m[5].trim()})` : state ? ` (${input.slurmState})` : ''}`,
      evidence: cancel.slice(0, 2).map((x) => cite(x.l, x.m.index)),
      details: { ...detailsOf(h), ...(state ? { slurmState: state } : {}) },
    };
  }
  return undefined;
}
