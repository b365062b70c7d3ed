// The data stage feeding the training stage for real: `data prepare` writes Megatron .bin/.idx shards, `data check`
// passes them, and `trainbench run --data` trains the reference workload (PyTorch ranks) on them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTinyTokenizer } from '../../adapters/dataset/__tests__/tiny-tokenizer.ts';
import { runCli } from '../__tests__/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'tb-data-train-'));
const env = { ...process.env, TRAINBENCH_HOME: join(dir, 'home') };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('data prepare -> trainbench run --data', () => {
  it('trains the workload on a dataset prepared by data prepare', async () => {
    const corpus = join(dir, 'corpus.jsonl');
    const docs = Array.from({ length: 400 }, (_, i) => JSON.stringify({ text: `document ${i}: the quick brown fox jumps over the lazy dog ${'abc '.repeat(i % 40)}` }));
    writeFileSync(corpus, docs.join('\n') + '\n');
    const tokenizer = writeTinyTokenizer(dir);
    const prefix = join(dir, 'data', 'tiny');
    const prep = await runCli(['data', 'prepare', '--input', corpus, '--output-prefix', prefix, '--tokenizer', tokenizer, '--json'], { env });
    expect(prep.code, prep.stderr).toBe(0);
    const shard = `${prefix}_00_text_document`;
    const check = await runCli(['data', 'check', shard, '--vocab', '8192', '--json'], { env });
    expect(check.code, check.stdout).toBe(0);

    const r = await runCli(['run', 'workload-mini-cpu', '--steps', '3', '--data', shard, '--no-telemetry', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const outcome = JSON.parse(r.stdout) as { state: { state: string }; steps: number; runDir: string };
    expect(outcome.state.state).toBe('COMPLETED');
    expect(outcome.steps).toBe(3);
  });

  it('refuses a dataset before any rank starts when the file is corrupt, naming it', async () => {
    const r = await runCli(['run', 'workload-mini-cpu', '--data', join(dir, 'nope', 'missing_text_document')], { env });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/missing_text_document/);
  });
});
