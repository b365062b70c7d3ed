// Text renderings of the data commands' results; the CLI prints them, --json prints the data instead.
import { humanCount, renderHistogram, type LengthHistogram } from './stats.ts';

interface ShardView {
  stem: string;
  ok: boolean;
  problems: { file: string; message: string }[];
  header?: { dtype: { name: string } };
  documents: number;
  tokens: number;
  idxBytes: number;
  binBytes: number;
  histogram?: LengthHistogram;
}

interface ReportView {
  target: string;
  ok: boolean;
  shards: ShardView[];
  problems: { file: string; message: string }[];
  documents: number;
  tokens: number;
  bytes: number;
}

const name = (stem: string) => stem.slice(stem.lastIndexOf('/') + 1);
const n = (x: number) => x.toLocaleString('en-US');
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

export function problemLine(problem: { file: string; message: string }): string {
  return `${problem.file}: ${problem.message}`;
}

export function renderCheck(report: ReportView): string {
  const width = Math.max(0, ...report.shards.map((s) => name(s.stem).length));
  const lines = report.shards.map((s) =>
    s.ok
      ? ` ok   ${name(s.stem).padEnd(width)}  ${n(s.documents).padStart(12)} docs  ${n(s.tokens).padStart(15)} tokens  ${s.header?.dtype.name ?? ''}  ${mb(s.binBytes)}`
      : `FAIL  ${name(s.stem).padEnd(width)}  ${s.problems.map(problemLine).join('; ')}`,
  );
  const shardProblems = new Set(report.shards.flatMap((s) => s.problems));
  for (const p of report.problems) if (!shardProblems.has(p)) lines.push(`FAIL  ${problemLine(p)}`);
  lines.push(
    report.ok
      ? `verdict: OK: ${report.shards.length} shard(s), ${n(report.documents)} documents, ${n(report.tokens)} tokens, ${mb(report.bytes)} at ${report.target}`
      : `verdict: FAILED: ${report.problems.length} problem(s) in ${report.shards.length} shard(s) at ${report.target}; do not train on it`,
  );
  return lines.join('\n') + '\n';
}

export function renderStats(report: ReportView, histogram: LengthHistogram): string {
  const width = Math.max(0, ...report.shards.map((s) => name(s.stem).length));
  const lines = [
    `dataset:   ${report.target}`,
    `shards:    ${report.shards.length}`,
    `documents: ${n(report.documents)}`,
    `tokens:    ${n(report.tokens)} (${humanCount(report.tokens)})`,
    `mean document: ${report.documents > 0 ? (report.tokens / report.documents).toFixed(1) : '0'} tokens`,
    '',
    'tokens per shard:',
    ...report.shards.map((s) => `  ${name(s.stem).padEnd(width)}  ${n(s.tokens).padStart(15)} tokens  ${n(s.documents).padStart(12)} docs`),
    '',
    'document length histogram:',
    renderHistogram(histogram),
  ];
  return lines.join('\n') + '\n';
}

export interface ProgressView {
  documents: number;
  tokens: number;
  bytes: number;
  fileBytesRead: number;
  fileBytes: number;
  elapsedSeconds: number;
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

export function formatProgress(p: ProgressView): string {
  const rate = p.elapsedSeconds > 0 ? p.bytes / 1e6 / p.elapsedSeconds : 0;
  const fraction = p.fileBytes > 0 ? p.fileBytesRead / p.fileBytes : 0;
  const eta = fraction > 0 && fraction < 1 ? formatDuration((p.elapsedSeconds * (1 - fraction)) / fraction) : '-';
  return `prepare: ${n(p.documents)} docs  ${humanCount(p.tokens)} tokens  ${rate.toFixed(1)} MB/s  ${(fraction * 100).toFixed(0)}% read  ETA ${eta}`;
}

export interface PrepareView {
  shards: { stem: string; documents: number; tokens: number; binBytes: number }[];
  dtype: string;
  tokenizer: { name: string; vocabSize: number; eod: number };
  documents: number;
  tokens: number;
  inputBytes: number;
  badLines: { count: number; first: { line: number; reason: string }[] };
  packing?: { length: number; droppedTokens: number };
  workers: number;
  elapsedSeconds: number;
}

export function renderPrepare(result: PrepareView, input: string, shownBadLines = 10): string {
  const seconds = Math.max(result.elapsedSeconds, 1e-9);
  const lines = result.shards.map((s) => `  ${name(s.stem)}.bin/.idx  ${n(s.documents).padStart(12)} docs  ${n(s.tokens).padStart(15)} tokens  ${mb(s.binBytes)}`);
  lines.unshift(`wrote ${result.shards.length} shard(s) (${result.dtype}, tokenizer ${result.tokenizer.name}, vocab ${n(result.tokenizer.vocabSize)}, EOD ${result.tokenizer.eod}):`);
  lines.push(
    `${n(result.documents)} documents, ${n(result.tokens)} tokens from ${mb(result.inputBytes)} in ${formatDuration(seconds)} ` +
      `(${(result.inputBytes / 1e6 / seconds).toFixed(1)} MB/s, ${humanCount(result.tokens / seconds)} tokens/s, ${result.workers} worker(s))`,
  );
  if (result.packing) {
    lines.push(`packed into sequences of ${n(result.packing.length)} tokens; ${n(result.packing.droppedTokens)} tail tokens dropped`);
  }
  if (result.badLines.count > 0) {
    lines.push(`skipped ${n(result.badLines.count)} bad line(s):`);
    for (const bad of result.badLines.first.slice(0, shownBadLines)) lines.push(`  ${input}:${bad.line}: ${bad.reason}`);
    if (result.badLines.count > shownBadLines) lines.push(`  ... ${n(result.badLines.count - shownBadLines)} more (all in --json, up to 100)`);
  }
  return lines.join('\n') + '\n';
}
