import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../adapters/store/index.ts';
import { runCli } from '../__tests__/run-cli.ts';

let home = '';
let env: NodeJS.ProcessEnv = {};
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'tb-results-'));
  env = { TRAINBENCH_HOME: home };
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

function seed(): string[] {
  const store = openStore(join(home, 'store.sqlite'), { env: {} });
  try {
    const ids: string[] = [];
    const models = ['llama3-8b', 'llama3-70b', 'gpt3-175b'];
    for (let i = 0; i < 7; i++) {
      const run = store.importRun({
        run: {
          name: `bench ${i}`,
          model: models[i % 3]!,
          gpu: i % 2 ? 'A100-80GB' : 'H100-SXM',
          numGpus: 8,
          state: i === 6 ? 'FAILED' : 'COMPLETED',
          createdAt: `2026-01-0${i + 1}T10:00:00.000Z`,
        },
        steps: Array.from({ length: 10 + i }, (_, s) => ({ step: s + 1, timeS: 1.2 })),
        result: { meanStepTimeS: 1 + i / 10, tokensPerS: 40_000 + i * 1000, mfu: 0.35 + i / 100 },
        telemetry: [{ source: 'dmon', gpu: 0, ts: 1, utilPct: 99 }],
      });
      ids.push(run.id);
    }
    return ids;
  } finally {
    store.close();
  }
}

describe('trainbench results', () => {
  it('says the store is empty, exits 0 and creates nothing', async () => {
    const r = await runCli(['results'], { env });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('No runs stored yet');
    expect(existsSync(join(home, 'store.sqlite'))).toBe(false);
    const j = await runCli(['results', 'list', '--json'], { env });
    expect(JSON.parse(j.stdout)).toMatchObject({ total: 0, runs: [] });
  });

  it('lists newest first with filters, sort and pages', async () => {
    seed();
    const all = await runCli(['results'], { env });
    expect(all.code).toBe(0);
    const lines = all.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+STATE\s+MODEL\s+GPU\s+STEP\s+TOK\/S\s+MFU\s+CREATED/);
    expect(lines[1]).toContain('bench 6');
    expect(lines[1]).toContain('FAILED');

    const llama = await runCli(['results', '--model', 'llama3-8b', '--json'], { env });
    expect(JSON.parse(llama.stdout).runs.map((r: { name: string }) => r.name)).toEqual(['bench 6', 'bench 3', 'bench 0']);

    const best = await runCli(['results', 'list', '--sort', '-mfu', '--limit', '2', '--state', 'completed'], { env });
    expect(best.stdout).toMatch(/bench 5[\s\S]*bench 4/);
    expect(best.stdout).toContain('runs 1-2 of 6; next page: --offset 2');

    const none = await runCli(['results', '--gpu', 'B200'], { env });
    expect(none).toMatchObject({ code: 0 });
    expect(none.stdout).toContain('No runs match these filters (7 runs stored');
  });

  it('exports CSV to a file', async () => {
    seed();
    const r = await runCli(['results', '--gpu', 'h100-sxm', '--csv', 'out.csv'], { env, cwd: home });
    expect(r.stdout).toBe('wrote 4 runs to out.csv\n');
    const csv = readFileSync(join(home, 'out.csv'), 'utf8').trimEnd().split('\n');
    expect(csv).toHaveLength(5);
    expect(csv[0]!.startsWith('id,name,state,model,gpu,numGpus')).toBe(true);
  });

  it('shows one run by id or unique prefix, with counts', async () => {
    const ids = seed();
    const r = await runCli(['results', 'show', ids[2]!], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`run ${ids[2]}  bench 2`);
    expect(r.stdout).toMatch(/steps\s+12/);
    expect(r.stdout).toMatch(/telemetry\s+1 samples/);
    const j = await runCli(['results', 'show', 'bench 4', '--json'], { env });
    expect(JSON.parse(j.stdout)).toMatchObject({ stepCount: 14, telemetryCount: 1, run: { name: 'bench 4', mfu: expect.closeTo(0.39) } });
    const prefix = await runCli(['results', 'show', ids[0]!.toLowerCase()], { env });
    expect(prefix.code).toBe(0);
  });

  it('answers an unknown run id with did-you-mean and exit 2', async () => {
    const ids = seed();
    const typo = `${ids[3]!.slice(0, 20)}ZZZZZZ`;
    const r = await runCli(['results', 'show', typo], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`no run '${typo}'`);
    expect(r.stderr).toMatch(/did you mean '01/);
    const bad = await runCli(['results', '--state', 'COMPLETD'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("did you mean 'COMPLETED'");
    const sort = await runCli(['results', '--sort', 'tokens'], { env });
    expect(sort.code).toBe(2);
  });

  it('refuses a corrupt store with exit 4, naming the file and leaving it as it was', async () => {
    const file = join(home, 'store.sqlite');
    writeFileSync(file, 'not a database at all\n');
    const r = await runCli(['results'], { env });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`error[store-corrupt]: ${file}`);
    expect(readFileSync(file, 'utf8')).toBe('not a database at all\n');
  });
});
