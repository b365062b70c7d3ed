// `trainbench results import`: run folders from another machine into this store. The folders are real: the H200 runs
// of the GPU proof, and a CPU run made here under another TRAINBENCH_HOME (as if on another machine).
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/__tests__/run-cli.ts';
import { packageRoot } from '../paths.ts';
import { openStore } from '../store/index.ts';

const tmp = mkdtempSync(join(tmpdir(), 'tb-import-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const gpuRuns = join(packageRoot(), 'fixtures', 'gpu', 'h200-2026-11-26');

function withStore<T>(file: string, f: (s: ReturnType<typeof openStore>) => T): T {
  const store = openStore(file, { env: {} });
  try {
    return f(store);
  } finally {
    store.close();
  }
}

describe('trainbench results import', () => {
  it('stores the H200 run folders with their steps, telemetry and result; a second import stores nothing twice', async () => {
    const store = join(tmp, 'gpu.sqlite');
    const first = await runCli(['results', '--store', store, 'import', gpuRuns, '--json']);
    expect(first.code, first.stderr).toBe(0);
    const runs = (JSON.parse(first.stdout) as { runs: { dir: string; status: string; runId: string; name: string; steps: number; telemetry: number }[] }).runs;
    expect(runs).toHaveLength(7);
    expect(runs.every((r) => r.status === 'imported' && r.steps === 30 && r.telemetry > 0)).toBe(true);

    const eightB = runs.find((r) => r.dir.endsWith(join('call2', '8b')))!;
    withStore(store, (s) => {
      const run = s.getRun(eightB.runId)!;
      expect(run).toMatchObject({ name: 'workload-llama3-8b-h200', state: 'COMPLETED', gpu: 'h200', model: 'llama3-8b', numGpus: 1, executor: 'local' });
      expect(Math.round((run.result as { tokensPerS: number }).tokensPerS)).toBe(11727);
      expect(s.getSteps(eightB.runId)).toHaveLength(30);
      expect(s.getTelemetry(eightB.runId).some((t) => t.source === 'dmon' && t.powerW !== null && t.powerW > 600)).toBe(true);
    });

    const again = await runCli(['results', '--store', store, 'import', gpuRuns]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^0 of 7 run folders imported/m);
    withStore(store, (s) => {
      expect(s.countRuns()).toBe(7);
      expect(s.getSteps(eightB.runId)).toHaveLength(30);
    });
    const list = await runCli(['results', '--store', store, 'list', '--gpu', 'h200', '--sort', '-tokens-per-s', '--json']);
    expect(JSON.parse(list.stdout).runs[0]).toMatchObject({ name: 'workload-llama3.2-1b-h200' });
  });

  it('a run made under another TRAINBENCH_HOME arrives exactly as that machine stored it', async () => {
    const elsewhere = join(tmp, 'elsewhere');
    const made = await runCli(['run', '--steps', '6', '--json'], { env: { ...process.env, TRAINBENCH_HOME: elsewhere } });
    expect(made.code, made.stderr).toBe(0);
    const { runId, runDir } = JSON.parse(made.stdout) as { runId: string; runDir: string };
    const moved = join(tmp, 'copied-run');
    cpSync(runDir, moved, { recursive: true }); // the folder travels; its recorded paths still name the other home

    const here = join(tmp, 'here.sqlite');
    const r = await runCli(['results', '--store', here, 'import', moved]);
    expect(r.code, r.stderr).toBe(0);
    const [theirs, ours] = [join(elsewhere, 'store.sqlite'), here].map((file) =>
      withStore(file, (s) => ({ run: s.getRun(runId)!, steps: s.getSteps(runId), telemetry: s.countTelemetry(runId) })));
    expect(ours!.steps).toEqual(theirs!.steps);
    expect(ours!.telemetry).toBe(theirs!.telemetry);
    expect(ours!.run.result).toEqual(theirs!.run.result);
    expect(ours!.run).toMatchObject({ state: theirs!.run.state, recipeId: theirs!.run.recipeId, jobId: theirs!.run.jobId, runDir: moved });
  });

  it('a damaged folder is refused with its file named (exit 4) and nothing of the batch is stored', async () => {
    const good = join(tmp, 'batch', 'a-good');
    const bad = join(tmp, 'batch', 'b-bad');
    cpSync(join(gpuRuns, 'call3', '1b'), good, { recursive: true });
    cpSync(join(gpuRuns, 'call2', '1b'), bad, { recursive: true });
    writeFileSync(join(bad, 'result.json'), '{"runId": "01M8BV1KCS6XT37ERK14Z');
    const store = join(tmp, 'damaged.sqlite');
    const r = await runCli(['results', '--store', store, 'import', join(tmp, 'batch')]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(join(bad, 'result.json'));
    expect(r.stderr).toMatch(/not readable JSON/);
    withStore(store, (s) => expect(s.countRuns()).toBe(0));

    rmSync(join(bad, 'log-rank0.out'));
    cpSync(join(gpuRuns, 'call2', '1b', 'result.json'), join(bad, 'result.json'));
    const missing = await runCli(['results', '--store', store, 'import', bad]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/log-rank0\.out: the log of attempt 0 is missing/);

    const none = await runCli(['results', '--store', store, 'import', join(gpuRuns, 'call2', '1b', 'telemetry')]);
    expect(none.code).toBe(4);
    expect(none.stderr).toMatch(/no run folders/);
  });
});
