// Benchmark of log ingestion (a script, not a test):
//   npx vite-node bench/ingest/ingest.bench.ts [-- --mb 1000 --rounds 3 --noise 0 --plain --js-reader]
// Writes a NeMo-2-style log (the reference workload's step line, plus 1 NeMo info line in 50) to the temp dir,
// warms the page cache, then per round, interleaved on the same file:
//   A. cat FILE > /dev/null                                   (the disk/page-cache ceiling)
//   B. grep -F 'train_step_timing' FILE | awk ...             (extracts and averages the step times)
//   C. trainbench: parsePath(FILE) (detection + parse of every field; worker threads on a file this size) and the
//      mean step time, computed as awk does (a weighted sum over the records: no median, no sort)
//   D. with --plain: the same with parallel: false (the single-thread streaming reader)
//   E. with --js-reader: C with the JavaScript step-line reader in the workers instead of the WebAssembly one
//   F. C in a fresh process per round (parse-once.ts), timed inside it (cold code and an empty heap, as a CLI run)
// and checks that B, C (and D) found the same number of steps and the same mean. Prints MB/s and the ratios.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePath } from '../../src/adapters/ingest/index.ts';
import { writeLog } from './gen-log.ts';
import { stepMean } from './step-mean.ts';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const megabytes = Number(arg('mb', '1024'));
const rounds = Number(arg('rounds', '3'));
// Other lines per step line: 0 = a log of step lines only (the 1-in-50 info line aside); real multi-GB logs are
// mostly NCCL/debug noise around relatively few steps.
const noise = Number(arg('noise', '0'));
interface Timing {
  /** Wall-clock seconds. */
  s: number;
  /** CPU seconds (user + system), all processes of the pipeline: robust to a loaded machine. */
  cpu: number;
  stdout: string;
}

function timeShell(script: string): Timing {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('bash', ['-c', `TIMEFORMAT='%3U %3S'; time { ${script}; }`], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const [user, sys] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { s, cpu: user! + sys!, stdout: r.stdout };
}

const viteNode = fileURLToPath(new URL('../../node_modules/vite-node/vite-node.mjs', import.meta.url));
const parseOnce = fileURLToPath(new URL('./parse-once.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tb-ingest-bench-'));
const file = join(dir, 'log-nemo2.out');
try {
  console.log(`writing ${megabytes} MB NeMo 2 log (${noise} noise lines per step line) to ${file} ...`);
  await writeLog(file, megabytes * 1e6, noise);
  const size = statSync(file).size;
  // Write the file back to disk before timing: otherwise the kernel flushes 1 GB of dirty pages during the first
  // rounds, competing for the CPUs and the page cache with whatever runs then.
  spawnSync('sync', [file]);
  timeShell(`cat '${file}' > /dev/null`); // warm the page cache
  const awk = `grep -F 'train_step_timing' '${file}' | awk -F'train_step_timing in s: ' '{split($2,a," "); s+=a[1]; n++} END {printf "%d %.9f", n, s/n}'`;
  const plain = process.argv.includes('--plain');
  const jsReader = process.argv.includes('--js-reader');
  const rows: Record<string, { s: number; cpu: number }[]> = {
    cat: [], 'grep|awk': [], trainbench: [], 'trainbench fresh process': [], ...(jsReader ? { 'trainbench JS reader': [] } : {}),
    ...(plain ? { 'trainbench 1 thread': [] } : {}),
  };
  const variants: Record<string, Parameters<typeof parsePath>[1]> = {
    trainbench: {}, 'trainbench JS reader': { parallel: { wasmReader: false } }, 'trainbench 1 thread': { parallel: false },
  };
  console.log(`size ${(size / 1e6).toFixed(0)} MB, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}, ${rounds} round(s)`);
  for (let r = 0; r < rounds; r++) {
    rows.cat!.push(timeShell(`cat '${file}' > /dev/null`));
    const b = timeShell(awk);
    rows['grep|awk']!.push(b);
    const [n, mean] = b.stdout.split(' ').map(Number);
    // F. The same parse in a fresh process (parse-once.ts: cold code, empty heap, as `trainbench parse` runs),
    // timed inside it: Node's start and module loading are left out, as they are for the in-process rows.
    const once = spawnSync(process.execPath, [viteNode, parseOnce, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const f = JSON.parse(once.stdout.trim().split('\n').pop()!) as { s: number; cpu: number; covered: number; mean: number; records: number };
    rows['trainbench fresh process']!.push({ s: f.s, cpu: f.cpu });
    const sameF = n === f.covered && Math.abs(mean! - f.mean) < 1e-9;
    console.log(`round ${r + 1}: trainbench fresh process ${f.covered} steps in ${f.records} records, mean ${f.mean.toFixed(6)} s (${sameF ? 'same' : 'DIFFERENT'})`);
    if (!sameF) process.exitCode = 1;
    for (const name of Object.keys(rows).filter((k) => k.startsWith('trainbench') && k !== 'trainbench fresh process')) {
      const t0 = process.hrtime.bigint();
      const c0 = process.cpuUsage();
      let parsed: Awaited<ReturnType<typeof parsePath>> | undefined = await parsePath(file, variants[name]);
      const { covered, mean: meanS, records } = stepMean(parsed.output.steps);
      const c = process.cpuUsage(c0);
      rows[name]!.push({ s: Number(process.hrtime.bigint() - t0) / 1e9, cpu: (c.user + c.system) / 1e6 });
      const same = n === covered && Math.abs(mean! - meanS) < 1e-9;
      console.log(`round ${r + 1}: grep|awk ${n} steps mean ${mean!.toFixed(6)} s; ${name} ${covered} steps in ${records} records, mean ${meanS.toFixed(6)} s (${same ? 'same' : 'DIFFERENT'}); format ${parsed.format}; lines ${parsed.output.lines.total}; rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
      if (!same) process.exitCode = 1;
      parsed = undefined; // let the next round start from an empty heap
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const mbps = (s: number) => size / 1e6 / s;
  const tbWall = median(rows.trainbench!.map((x) => x.s));
  const tbCpu = median(rows.trainbench!.map((x) => x.cpu));
  console.log('\n| method | wall s (median) | MB/s wall | CPU s (median) | MB per CPU-s | trainbench / method (wall) | trainbench / method (CPU) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const [name, xs] of Object.entries(rows)) {
    const s = median(xs.map((x) => x.s));
    const cpu = median(xs.map((x) => x.cpu));
    console.log(`| ${name} | ${s.toFixed(3)} | ${mbps(s).toFixed(0)} | ${cpu.toFixed(3)} | ${mbps(cpu).toFixed(0)} | ${(tbWall / s).toFixed(2)} | ${(tbCpu / cpu).toFixed(2)} |`);
  }
  console.log(`\nload average at the end ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
