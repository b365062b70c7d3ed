// Text renderings of stored runs for `trainbench results`: strings in, strings out; the command prints them.
import type { RunRecord } from '../../adapters/store/types.ts';

const dash = '-';

export function fmtSeconds(s: number | null): string {
  if (s === null) return dash;
  return s >= 100 ? `${s.toFixed(0)} s` : s >= 1 ? `${s.toFixed(2)} s` : `${(s * 1000).toFixed(0)} ms`;
}

export function fmtRate(n: number | null): string {
  if (n === null) return dash;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(0);
}

export const fmtMfu = (mfu: number | null) => (mfu === null ? dash : `${(mfu * 100).toFixed(1)}%`);

/** `2026-01-31T12:34:56.789Z` -> `2026-01-31 12:34` (UTC, as stored). */
export const fmtTime = (iso: string | null) => (iso ? iso.replace('T', ' ').slice(0, 16) : dash);

const gpuText = (r: RunRecord) => (r.gpu ? `${r.gpu}${r.numGpus ? ` x${r.numGpus}` : ''}` : dash);

export function renderRunTable(runs: readonly RunRecord[]): string {
  const header = ['ID', 'NAME', 'STATE', 'MODEL', 'GPU', 'STEP', 'TOK/S', 'MFU', 'CREATED (UTC)'];
  const rows = runs.map((r) => [
    r.id,
    r.name.length > 32 ? `${r.name.slice(0, 31)}…` : r.name,
    r.state,
    r.model ?? dash,
    gpuText(r),
    fmtSeconds(r.stepTimeS),
    fmtRate(r.tokensPerS),
    fmtMfu(r.mfu),
    fmtTime(r.createdAt),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const right = new Set([5, 6, 7]); // figures align on the right
  const line = (cells: string[]) =>
    cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

export interface RunDetail {
  run: RunRecord;
  stepCount: number;
  attempts: number;
  telemetryCount: number;
  verdicts: { against: string; metric: string; ratio: number | null; verdict: string }[];
}

export function renderRunDetail({ run, stepCount, attempts, telemetryCount, verdicts }: RunDetail): string {
  const rows: [string, string][] = [
    ['state', run.reason ? `${run.state} (${run.reason})` : run.state],
    ['model', [run.model ?? dash, run.task, run.dtype, run.seqLen ? `seq ${run.seqLen}` : null, run.gbs ? `gbs ${run.gbs}` : null].filter(Boolean).join('  ')],
    ['gpu', gpuText(run)],
    ['recipe', run.recipeId ?? dash],
    ['engine', [run.engine ?? dash, run.executor ? `on ${run.executor}` : null, run.jobId ? `job ${run.jobId}` : null].filter(Boolean).join(' ')],
    ['created', fmtTime(run.createdAt)],
    ['started', fmtTime(run.startedAt)],
    ['finished', fmtTime(run.finishedAt)],
    ['step time', fmtSeconds(run.stepTimeS)],
    ['tokens/s', fmtRate(run.tokensPerS)],
    ['MFU', fmtMfu(run.mfu)],
    ['steps', `${stepCount}${attempts > 1 ? ` over ${attempts} attempts (restarts)` : ''}`],
    ['telemetry', `${telemetryCount} samples`],
  ];
  if (run.runDir) rows.push(['run dir', run.runDir]);
  if (run.sourceLog) rows.push(['log', run.sourceLog]);
  for (const v of verdicts) rows.push(['verdict', `${v.verdict} on ${v.metric} vs ${v.against}${v.ratio === null ? '' : ` (x${v.ratio.toFixed(3)})`}`]);
  return [`run ${run.id}  ${run.name}`, ...rows.map(([k, v]) => `  ${k.padEnd(10)} ${v}`)].join('\n') + '\n';
}
