// Benchmark of `data prepare` and `data check` (a script, not a test):
//   npx vite-node bench/data/prepare.bench.ts [-- --mb 200 --tokenizer gpt2 --rounds 1]
// Generates a corpus in the temp dir (deleted at the end) and runs, interleaved round by round:
//   A. baseline: the same tokenizer library from a minimal single-threaded loop (readline -> JSON.parse -> encode)
//   B. trainbench prepare with 1 worker, C. with all cores
// then `data check --vocab` (full .bin scan) against `cat .bin .idx > /dev/null` on the same, page-cached files.
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { checkDataset, prepareDataset } from '../../src/adapters/dataset/index.ts';
import { loadTokenizer, resolveTokenizer, type TokenizerSpec } from '../../src/adapters/tokenizers/index.ts';
import { writeCorpus } from './corpus.ts';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const megabytes = Number(arg('mb', '200'));
const tokenizerName = arg('tokenizer', 'gpt2');
const rounds = Number(arg('rounds', '1'));
const cores = availableParallelism();

interface Row {
  name: string;
  seconds: number;
  tokens: number;
  bytes: number;
  threads: number;
}

async function baseline(spec: TokenizerSpec, input: string): Promise<Row> {
  const tokenizer = await loadTokenizer(spec);
  const started = performance.now();
  let tokens = 0;
  let bytes = 0;
  for await (const line of createInterface({ input: createReadStream(input), crlfDelay: Infinity })) {
    bytes += Buffer.byteLength(line) + 1;
    const record = JSON.parse(line) as { text: string };
    tokens += tokenizer.encode(record.text).length + 1;
  }
  tokenizer.free();
  return { name: 'baseline: single-threaded loop', seconds: (performance.now() - started) / 1000, tokens, bytes, threads: 1 };
}

async function prepare(spec: TokenizerSpec, input: string, out: string, workers: number): Promise<Row> {
  rmSync(out, { recursive: true, force: true });
  const started = performance.now();
  const result = await prepareDataset({ input, outputPrefix: join(out, 'bench'), tokenizer: spec, jsonKey: 'text', shards: 2, workers, onBadLine: 'stop' });
  return { name: `trainbench data prepare, ${workers} worker(s)`, seconds: (performance.now() - started) / 1000, tokens: result.tokens, bytes: result.inputBytes, threads: workers };
}

function show(row: Row): string {
  const tps = row.tokens / row.seconds;
  return `| ${row.name} | ${row.seconds.toFixed(1)} | ${(row.bytes / 1e6 / row.seconds).toFixed(1)} | ${(tps / 1e6).toFixed(2)}M | ${(tps / row.threads / 1e6).toFixed(2)}M |`;
}

const dir = mkdtempSync(join(tmpdir(), 'tb-data-bench-'));
try {
  const input = join(dir, 'corpus.jsonl');
  const generated = writeCorpus(input, megabytes);
  console.log(`corpus: ${(generated.bytes / 1e6).toFixed(0)} MB, ${generated.documents} documents; tokenizer ${tokenizerName}; ${cores} cores; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const spec = resolveTokenizer(tokenizerName, process.cwd());
  const out = join(dir, 'out');
  const rows: Row[] = [];
  for (let r = 0; r < rounds; r++) {
    rows.push(await baseline(spec, input));
    rows.push(await prepare(spec, input, out, 1));
    if (cores > 1) rows.push(await prepare(spec, input, out, cores));
  }
  console.log('\n| run | seconds | MB/s | tokens/s | tokens/s per thread |\n|---|---|---|---|---|');
  for (const row of rows) console.log(show(row));

  const files = [0, 1].flatMap((s) => [`bench_0${s}_text_document.bin`, `bench_0${s}_text_document.idx`].map((f) => join(out, f)));
  const datasetBytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
  const time = (fn: () => void) => {
    const started = performance.now();
    fn();
    return (performance.now() - started) / 1000;
  };
  const cat = () => time(() => execFileSync('sh', ['-c', `cat ${files.join(' ')} > /dev/null`]));
  cat(); // warm the page cache for both contenders
  const scans: [string, number][] = [];
  for (let r = 0; r < 3; r++) {
    scans.push(['cat > /dev/null', cat()]);
    scans.push(['trainbench data check --vocab', time(() => {
      const report = checkDataset(join(out, 'bench'), { vocabSize: spec.vocabSize });
      if (!report.ok) throw new Error(JSON.stringify(report.problems));
    })]);
  }
  console.log(`\ncheck scan of ${(datasetBytes / 1e6).toFixed(0)} MB (.bin + .idx, page-cached), best of 3:\n| run | seconds | MB/s |\n|---|---|---|`);
  for (const name of ['cat > /dev/null', 'trainbench data check --vocab']) {
    const best = Math.min(...scans.filter(([n]) => n === name).map(([, s]) => s));
    console.log(`| ${name} | ${best.toFixed(3)} | ${(datasetBytes / 1e6 / best).toFixed(0)} |`);
  }
  console.log(`\nload after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
