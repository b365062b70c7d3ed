// Directory mode: finds the training log among a run's files, the layouts the seeds describe:
// NeMo launcher `log-<account>.<name>_<jobid>_0.out`, `results/.../*.out`, sbatch `slurm-<id>.out` / `stdout-<id>.out`,
// torchrun/srun per-rank files (`rank0.log`, `*_0.out`), LLaMA-Factory `trainer_log.jsonl`. Each candidate's head
// is run through format detection; the most confident wins, then the rank-0 file, then the largest.
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { inputError } from '../../core/errors.ts';
import { detectFormat } from '../../core/ingest/index.ts';
import { openLog } from './lines.ts';

export interface LogChoice {
  file: string;
  reason: string;
  candidates: { file: string; format: string | undefined; confidence: number; bytes: number }[];
}

const LOG_NAME = /\.(out|log|err|txt|jsonl)(\.gz)?$/i;
const MAX_FILES = 200;
const HEAD_BYTES = 512 * 1024;

async function listFiles(dir: string, depth: number, out: { path: string; bytes: number }[]): Promise<void> {
  if (depth < 0 || out.length >= MAX_FILES) return;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, e.name);
    if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'checkpoints') await listFiles(path, depth - 1, out);
    else if (e.isFile() && LOG_NAME.test(e.name) && out.length < MAX_FILES) {
      const s = await stat(path).catch(() => undefined);
      if (s && s.size > 0) out.push({ path, bytes: s.size });
    }
  }
}

async function headLines(path: string): Promise<string[]> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  const stream = openLog(path, 64 * 1024);
  for await (const c of stream as AsyncIterable<Buffer>) {
    chunks.push(c);
    bytes += c.length;
    if (bytes >= HEAD_BYTES) break;
  }
  stream.destroy();
  return Buffer.concat(chunks).toString('utf8').split('\n').slice(0, 2000);
}

/** Rank of a per-rank file name, or undefined when the name states none. */
export function rankOf(name: string): number | undefined {
  const m = /(?:rank|_r|-r)[_-]?(\d+)(?=\D*$)|_(\d+)\.(?:out|log|err)$/i.exec(name);
  return m ? Number(m[1] ?? m[2]) : undefined;
}

export async function findLogFile(dir: string): Promise<LogChoice> {
  const files: { path: string; bytes: number }[] = [];
  await listFiles(dir, 4, files);
  if (files.length === 0) {
    throw inputError(`no log files (.out/.log/.err/.txt/.jsonl) under ${dir}`, {
      code: 'no-log-found', file: dir, hint: 'pass the log file itself, or the run directory that holds it',
    });
  }
  interface Scored {
    path: string;
    bytes: number;
    format: string | undefined;
    confidence: number;
    rank: number | undefined;
  }
  const scored: Scored[] = [];
  for (const f of files) {
    const d = detectFormat(await headLines(f.path).catch(() => []));
    scored.push({ ...f, format: d.parser?.name, confidence: d.confidence, rank: rankOf(f.path.split('/').pop()!) });
  }
  // Stderr files hold failures, not steps: they lose ties against the matching stdout.
  const key = (s: Scored): number[] => [
    s.confidence, s.rank === 0 ? 1 : s.rank === undefined ? 0.5 : 0, s.path.endsWith('.err') ? 0 : 1, s.bytes,
  ];
  scored.sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return kb[i]! - ka[i]!;
    return 0;
  });
  const best = scored[0]!;
  const why = best.confidence > 0 ? `${best.format} lines detected (confidence ${best.confidence})` : 'no known format: largest log file';
  return {
    file: best.path,
    reason: `${why}${best.rank === 0 ? ', rank-0 file' : ''}; ${scored.length} candidate(s)`,
    candidates: scored.map((s) => ({ file: relative(dir, s.path), format: s.format, confidence: s.confidence, bytes: s.bytes })),
  };
}
