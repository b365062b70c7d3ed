// Round trips: prepare -> read (numpy memmap and openIndexedDataset) gives back exactly the tokenizer's ids + EOD.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../../cli/__tests__/run-cli.ts';
import { loadTokenizer, resolveTokenizer } from '../tokenizers/index.ts';
import { readWithNumpy, tempDir } from './__tests__/helpers.ts';
import { writeTinyTokenizer } from './__tests__/tiny-tokenizer.ts';
import { openIndexedDataset } from './reader.ts';

let dir = '';
let cleanup = () => {};
let tinyTokenizer = '';
beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  tinyTokenizer = writeTinyTokenizer(dir);
});
afterAll(() => cleanup());

// Good documents in line order, with bad lines between them (line numbers 4, 7, 8, 10).
const texts = [
  'Hello, world! hello hello',
  '',
  'Ünïcödé — 日本語のテキスト, emoji 🎉 and Ελληνικά\nwith a newline',
  'a literal <|endoftext|> and <|end_of_text|> and </s> inside the text',
  ' hello'.repeat(70_000), // more than 64K tokens with every tokenizer
  'x',
];
const lines = [
  JSON.stringify({ text: texts[0], id: 1 }),
  JSON.stringify({ text: texts[1] }),
  JSON.stringify({ text: texts[2] }),
  'not json at all',
  JSON.stringify({ text: texts[3] }),
  JSON.stringify({ text: texts[4] }),
  JSON.stringify({ other: 'missing key' }),
  JSON.stringify({ text: 5 }),
  JSON.stringify({ text: texts[5] }) + '\r',
  '[]',
];

function corpus(name: string, gzip = false): string {
  const path = join(dir, name);
  const body = lines.join('\n') + '\n';
  writeFileSync(path, gzip ? gzipSync(body) : body);
  return path;
}

describe.each([['gpt2'], ['llama3'], ['tiny']])('%s', (name) => {
  test('prepare -> read gives back the tokenizer ids + EOD, empty, >64K-token and non-ASCII documents included', async () => {
    const tokenizerArg = name === 'tiny' ? tinyTokenizer : name;
    const spec = resolveTokenizer(tokenizerArg, dir);
    const tokenizer = await loadTokenizer(spec);
    const expected = texts.map((t) => {
      const ids = tokenizer.encode(t);
      return ids.length > 0 ? [...ids, spec.eod] : [];
    });
    tokenizer.free();
    expect(expected[4]!.length).toBeGreaterThan(65_536);
    const prefix = join(dir, name, 'my-data');
    const input = corpus(`${name}.jsonl`);
    const result = await runCli(['data', 'prepare', '--input', input, '--output-prefix', prefix, '--tokenizer', tokenizerArg, '--shards', '2', '--workers', '2', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ documents: 6, dtype: spec.vocabSize < 65500 ? 'uint16' : 'int32', tokenizer: { eod: spec.eod } });
    expect(summary.badLines.count).toBe(4);
    expect(summary.badLines.first.map((b: { line: number }) => b.line)).toEqual([4, 7, 8, 10]);
    expect(summary.badLines.first[1].reason).toBe('missing key "text"');
    expect(readdirSync(join(dir, name)).sort()).toEqual([
      'my-data_00_text_document.bin',
      'my-data_00_text_document.idx',
      'my-data_01_text_document.bin',
      'my-data_01_text_document.idx',
    ]);
    // Documents are dealt round-robin: shard 0 holds 0, 2, 4; shard 1 holds 1, 3, 5.
    const stems = [0, 1].map((s) => `${prefix}_0${s}_text_document`);
    const [shard0, shard1] = readWithNumpy(...stems);
    expect(shard0!.documents).toEqual([expected[0], expected[2], expected[4]]);
    expect(shard1!.documents).toEqual([expected[1], expected[3], expected[5]]);
    const ds = openIndexedDataset(stems[1]!, { vocabSize: spec.vocabSize });
    expect([0, 1, 2].map((d) => ds.readDocument(d))).toEqual([expected[1], expected[3], expected[5]]);
    ds.close();
    const check = await runCli(['data', 'check', join(dir, name), '--tokenizer', tokenizerArg]);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/verdict: OK: 2 shard\(s\), 6 documents/);
  });
});

test('gzip input packed into fixed-length sequences', async () => {
  const spec = resolveTokenizer('gpt2', dir);
  const tokenizer = await loadTokenizer(spec);
  const stream = [0, 2, 4].flatMap((i) => {
    const ids = tokenizer.encode(texts[i]!);
    return ids.length > 0 ? [...ids, spec.eod] : [];
  });
  tokenizer.free();
  const prefix = join(dir, 'packed', 'p');
  const result = await runCli(['data', 'prepare', '--input', corpus('c.jsonl.gz', true), '--output-prefix', prefix, '--tokenizer', 'gpt2', '--shards', '2', '--pack', '128', '--json']);
  expect(result.code).toBe(0);
  const [shard0] = readWithNumpy(`${prefix}_00_text_document`);
  const full = Math.floor(stream.length / 128);
  expect(shard0!.documents).toHaveLength(full);
  expect(shard0!.documents.flat()).toEqual(stream.slice(0, full * 128));
  expect(JSON.parse(result.stdout).packing.droppedTokens).toBeGreaterThan(0);
});

test('--on-bad-line stop exits 4 naming file:line and publishes nothing; an older pair stays whole', async () => {
  const prefix = join(dir, 'stop', 'd');
  const input = corpus('stop.jsonl');
  writeFileSync(join(dir, 'good.jsonl'), JSON.stringify({ text: 'old data' }) + '\n');
  expect((await runCli(['data', 'prepare', '--input', join(dir, 'good.jsonl'), '--output-prefix', prefix, '--tokenizer', 'gpt2'])).code).toBe(0);
  const result = await runCli(['data', 'prepare', '--input', input, '--output-prefix', prefix, '--tokenizer', 'gpt2', '--on-bad-line', 'stop']);
  expect(result.code).toBe(4);
  expect(result.stderr).toContain(`${input}:4: invalid JSON`);
  expect(readdirSync(join(dir, 'stop')).sort()).toEqual(['d_00_text_document.bin', 'd_00_text_document.idx']);
  const ds = openIndexedDataset(`${prefix}_00_text_document`);
  expect(ds.documentCount).toBe(1);
  ds.close();
});

test('human output: progress on stderr, summary with bad line numbers, stats, and files being written are ignored', async () => {
  const prefix = join(dir, 'human', 'h');
  const input = corpus('human.jsonl');
  const result = await runCli(['data', 'prepare', '--input', input, '--output-prefix', prefix, '--tokenizer', 'gpt2']);
  expect(result.code).toBe(0);
  expect(result.stderr).toMatch(/prepare: 6 docs .* MB\/s .*ETA/);
  expect(result.stdout).toMatch(/wrote 1 shard\(s\) \(uint16, tokenizer gpt2, vocab 50,257, EOD 50256\)/);
  expect(result.stdout).toContain(`${input}:7: missing key "text"`);
  writeFileSync(`${prefix}_01_text_document.bin.partial`, 'half-written');
  const stats = await runCli(['data', 'stats', join(dir, 'human')]);
  expect(stats.code).toBe(0);
  expect(stats.stdout).toMatch(/documents: 6/);
  expect(stats.stdout).toMatch(/65536-131071 tokens +1 /);
  const json = JSON.parse((await runCli(['data', 'stats', join(dir, 'human'), '--json'])).stdout);
  expect(json).toMatchObject({ documents: 6, shards: [{ documents: 6 }] });
  expect(existsSync(`${prefix}_01_text_document.idx`)).toBe(false);
});

test('unknown tokenizer names get a suggestion; a missing input is exit 4', async () => {
  const bad = await runCli(['data', 'prepare', '--input', corpus('u.jsonl'), '--output-prefix', join(dir, 'u', 'u'), '--tokenizer', 'lama3']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/unknown tokenizer 'lama3'[\s\S]*llama3/);
  const directory = await runCli(['data', 'prepare', '--input', corpus('u.jsonl'), '--output-prefix', `${dir}/`, '--tokenizer', 'gpt2']);
  expect(directory.code).toBe(2);
  expect(directory.stderr).toMatch(/is a directory; it must end in a name prefix/);
  const missing = await runCli(['data', 'prepare', '--input', join(dir, 'nope.jsonl'), '--output-prefix', join(dir, 'u', 'u'), '--tokenizer', 'gpt2']);
  expect(missing.code).toBe(4);
  const gz = corpus('broken.jsonl.gz', true);
  writeFileSync(gz, gzipSync(lines.join('\n').repeat(50)).subarray(0, 200));
  const broken = await runCli(['data', 'prepare', '--input', gz, '--output-prefix', join(dir, 'u', 'u'), '--tokenizer', 'gpt2']);
  expect(broken.code).toBe(4);
  expect(broken.stderr).toMatch(/broken\.jsonl\.gz: cannot read near line \d+/);
  expect(readdirSync(join(dir, 'u'))).toEqual([]);
});
