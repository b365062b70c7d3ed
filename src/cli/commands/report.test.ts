import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../adapters/store/index.ts';
import { summarize } from '../../core/measure/index.ts';
import { runCli } from '../__tests__/run-cli.ts';

const home = mkdtempSync(join(tmpdir(), 'tb-report-'));
const env = { ...process.env, TRAINBENCH_HOME: home };
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** A stored run of the seed 000 SFT bf16 8-GPU recipe whose last 20 steps all took `stepTimeS`. */
function storeRun(name: string, stepTimeS: number): string {
  const steps = Array.from({ length: 30 }, (_, i) => ({ step: i, line: i + 1, stepTimeS: i < 5 ? 3 : stepTimeS }));
  const result = summarize({ steps, restarts: [] }, { kind: 'last', n: 20 }, { seqLen: 4096, gbs: 32, numGpus: 8, peakFlopsPerGpu: 989e12, flopsPerSample: 1.84e14 });
  const store = openStore(join(home, 'store.sqlite'), { env });
  try {
    return store.importRun({ run: { name, recipeId: 'llama3-8b-sft-bf16-8gpu', state: 'COMPLETED' }, steps: steps.map((s) => ({ step: s.step, timeS: s.stepTimeS })), result }).id;
  } finally {
    store.close();
  }
}

describe('trainbench report', () => {
  it("prints the seeds' table and passes against the published baseline", async () => {
    const id = storeRun('sft-like-seed', 1.32);
    const r = await runCli(['report', id], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('| Throughput in tokens per second | 99297 |');
    expect(r.stdout).toContain('| Model flops utilization | 56.38% |');
    expect(r.stdout).toMatch(/verdict: pass/i);
  });

  it('exits 6 on a regression against the baseline and names the metric', async () => {
    const id = storeRun('slow-run', 1.5);
    const r = await runCli(['report', id, '--json'], { env });
    expect(r.code).toBe(6);
    const doc = JSON.parse(r.stdout) as { comparison: { verdict: string; metrics: { metric: string; verdict: string }[] } };
    expect(doc.comparison.verdict).toBe('regression');
    expect(doc.comparison.metrics.find((m) => m.metric === 'stepTimeS')?.verdict).toBe('regression');
  });

  it('writes the HTML report next to the table', async () => {
    const id = storeRun('with-html', 1.32);
    const out = join(home, 'r.html');
    const r = await runCli(['report', id, '--html', out], { env });
    expect(r.code).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(readFileSync(out, 'utf8')).toContain('<html');
  });

  it('suggests ids for an unknown run and exits 2', async () => {
    const r = await runCli(['report', 'ZZZZ'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no run 'ZZZZ'");
  });
});
