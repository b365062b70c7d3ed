// Benchmark of log ingestion (a script, not a test):
//   npx vite-node bench/ingest/ingest.bench.ts [-- --mb 1024 --rounds 3]
// Writes a NeMo-2-style log (the reference workload's step line, plus 1 NeMo info line in 50) to the temp dir,
// warms the page cache, then per round, interleaved on the same file:
//   A. cat FILE > /dev/null                                   (the disk/page-cache ceiling)
//   B. grep -F 'train_step_timing' FILE | awk ...             (extracts and averages the step times)
//   C. trainbench: parsePath(FILE) (detection + streaming parse of every field) and the mean step time
// and checks that B and C found the same number of steps and the same mean. Prints MB/s and the ratios.
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePath } from '../../src/adapters/ingest/index.ts';
import { stepTimeStats } from '../../src/core/measure/index.ts';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const megabytes = Number(arg('mb', '1024'));
const rounds = Number(arg('rounds', '3'));

async function writeLog(path: string, bytes: number): Promise<number> {
  const out = createWriteStream(path);
  let written = 0;
  let step = 0;
  while (written < bytes) {
    const parts: string[] = [];
    for (let k = 0; k < 2000; k++, step++) {
      if (step % 50 === 49) parts.push(`[NeMo I 2026-11-26 05:00:00 nemo_logging:393] Async finalization time took 0.001 s\n`);
      const t = (0.4 + ((step * 7919) % 1000) / 10000).toFixed(4);
      parts.push(`Training epoch 0, iteration ${step}/99999999 | lr: 0.0003 | global_batch_size: 8 | global_step: ${step} | peak_memory_usage: 35475423232 | memory_allocated: 16209118208 | reduced_train_loss: ${(7 - step / 1e7).toFixed(4)} | train_step_timing in s: ${t} | consumed_samples: ${(step + 1) * 8}\n`);
    }
    const chunk = parts.join('');
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  return step;
}

function timeShell(script: string): { s: number; stdout: string } {
  const t0 = process.hrtime.bigint();
  const stdout = execFileSync('bash', ['-c', script], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return { s: Number(process.hrtime.bigint() - t0) / 1e9, stdout };
}

const dir = mkdtempSync(join(tmpdir(), 'tb-ingest-bench-'));
const file = join(dir, 'log-nemo2.out');
try {
  console.log(`writing ${megabytes} MB NeMo 2 log to ${file} ...`);
  await writeLog(file, megabytes * 1e6);
  const size = statSync(file).size;
  timeShell(`cat '${file}' > /dev/null`); // warm the page cache
  const awk = `grep -F 'train_step_timing' '${file}' | awk -F'train_step_timing in s: ' '{split($2,a," "); s+=a[1]; n++} END {printf "%d %.9f", n, s/n}'`;
  const rows: Record<'cat' | 'grep|awk' | 'trainbench', number[]> = { cat: [], 'grep|awk': [], trainbench: [] };
  console.log(`size ${(size / 1e6).toFixed(0)} MB, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}, ${rounds} round(s)`);
  for (let r = 0; r < rounds; r++) {
    rows.cat.push(timeShell(`cat '${file}' > /dev/null`).s);
    const b = timeShell(awk);
    rows['grep|awk'].push(b.s);
    const t0 = process.hrtime.bigint();
    const parsed = await parsePath(file);
    const st = stepTimeStats(parsed.output.steps)!;
    rows.trainbench.push(Number(process.hrtime.bigint() - t0) / 1e9);
    const [n, mean] = b.stdout.split(' ').map(Number);
    const same = n === st.n && Math.abs(mean! - st.meanS) < 1e-9;
    console.log(`round ${r + 1}: grep|awk ${n} steps mean ${mean!.toFixed(6)} s; trainbench ${st.n} steps mean ${st.meanS.toFixed(6)} s (${same ? 'same' : 'DIFFERENT'}); format ${parsed.format}; lines ${parsed.output.lines.total}; rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
    if (!same) process.exitCode = 1;
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const mbps = (s: number) => size / 1e6 / s;
  const tb = median(rows.trainbench);
  console.log('\n| method | median s | MB/s | trainbench time / method time |\n|---|---:|---:|---:|');
  for (const [name, xs] of Object.entries(rows)) {
    const s = median(xs);
    console.log(`| ${name} | ${s.toFixed(3)} | ${mbps(s).toFixed(0)} | ${(tb / s).toFixed(2)} |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
