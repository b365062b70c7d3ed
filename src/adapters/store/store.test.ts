import { afterEach, describe, expect, it } from 'vitest';
import { TrainbenchError } from '../../core/errors.ts';
import { tempStore } from './__tests__/temp-store.ts';
import type { TempStore } from './__tests__/temp-store.ts';
import { defaultHome, defaultStorePath } from './open.ts';

let t: TempStore;
afterEach(() => t?.cleanup());

const steps = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ step: from + i, timeS: 1.5 + (from + i) / 1000, loss: 10 - (from + i) / 100 }));

describe('store: runs', () => {
  it('creates, transitions and reads back a run with its result', () => {
    t = tempStore();
    const run = t.store.createRun({ name: 'llama3-8b sft', model: 'llama3-8b', gpu: 'H100-SXM', numGpus: 8, spec: { tp: 2 } });
    expect(run.id).toMatch(/^[0-9A-Z]{26}$/);
    expect(run.state).toBe('PENDING');
    const running = t.store.updateRun(run.id, { state: 'RUNNING', jobId: '42' });
    expect(running.startedAt).not.toBeNull();
    const done = t.store.updateRun(run.id, { state: 'COMPLETED' });
    expect(done.finishedAt).not.toBeNull();
    t.store.setResult(run.id, { window: { from: 10, to: 50 }, stepTime: { mean: 1.25, p95: 1.4 }, tokensPerS: 52_000, mfu: 0.41 });
    const stored = t.store.getRun(run.id)!;
    expect(stored).toMatchObject({ stepTimeS: 1.25, tokensPerS: 52_000, mfu: 0.41, spec: { tp: 2 }, jobId: '42' });
    expect(stored.result).toMatchObject({ window: { from: 10, to: 50 } });
  });

  it('refuses to leave a final state, but lets a preempted run be requeued', () => {
    t = tempStore();
    const a = t.store.createRun({ name: 'a', state: 'COMPLETED' });
    expect(() => t.store.updateRun(a.id, { state: 'RUNNING' })).toThrow(/cannot go from COMPLETED to RUNNING/);
    const b = t.store.createRun({ name: 'b', state: 'RUNNING' });
    t.store.updateRun(b.id, { state: 'PREEMPTED' });
    expect(t.store.updateRun(b.id, { state: 'PENDING' }).finishedAt).toBeNull();
  });

  it('reports an unknown run as an input error', () => {
    t = tempStore();
    const error = (() => {
      try {
        t.store.appendSteps('NOPE', steps(1, 2));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(TrainbenchError);
    expect((error as TrainbenchError).code).toBe('unknown-run');
  });
});

describe('store: steps', () => {
  it('records nothing twice when the same log is ingested again', () => {
    t = tempStore();
    const { id } = t.store.createRun({ name: 'r' });
    expect(t.store.appendSteps(id, steps(1, 20))).toEqual({ inserted: 20, duplicates: 0, conflicts: [] });
    expect(t.store.appendSteps(id, steps(1, 20))).toEqual({ inserted: 0, duplicates: 20, conflicts: [] });
    expect(t.store.countSteps(id)).toBe(20);
  });

  it('keeps repeated steps after a restart as a new attempt, and never overwrites a different value', () => {
    t = tempStore();
    const { id } = t.store.createRun({ name: 'r' });
    // A job that ran to step 10, was requeued and resumed from the step-5 checkpoint.
    const r = t.store.appendSteps(id, [...steps(1, 10), ...steps(5, 12)]);
    expect(r.inserted).toBe(18);
    const rows = t.store.getSteps(id);
    expect(rows.filter((s) => s.attempt === 1).map((s) => s.step)).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    const changed = t.store.appendSteps(id, [{ step: 3, timeS: 99, loss: 1 }]);
    expect(changed.inserted).toBe(0);
    expect(changed.conflicts).toHaveLength(1);
    expect(t.store.getSteps(id).find((s) => s.step === 3 && s.attempt === 0)!.timeS).toBeCloseTo(1.503);
  });
});

describe('store: telemetry, verdicts, events', () => {
  it('stores each sample once and reads them back in time order', () => {
    t = tempStore();
    const { id } = t.store.createRun({ name: 'r' });
    const samples = [
      { source: 'dmon', node: 'n1', gpu: 0, ts: 100, utilPct: 97, powerW: 650, smClockMhz: 1980 },
      { source: 'dmon', node: 'n1', gpu: 1, ts: 100, utilPct: 95, powerW: 640 },
      { source: 'vmstat', node: 'n1', ts: 99, metrics: { us: 12, sy: 3 } },
    ];
    expect(t.store.addTelemetry(id, samples)).toEqual({ inserted: 3, duplicates: 0 });
    expect(t.store.addTelemetry(id, samples)).toEqual({ inserted: 0, duplicates: 3 });
    const rows = t.store.getTelemetry(id);
    expect(rows[0]).toMatchObject({ source: 'vmstat', gpu: -1, metrics: { us: 12, sy: 3 } });
    expect(t.store.getTelemetry(id, 'dmon')).toHaveLength(2);
    t.store.addVerdict(id, { against: 'nemo-24.07 llama3-8b h100', metric: 'step_time', ratio: 1.04, verdict: 'within' });
    t.store.addEvent(id, { kind: 'state', data: { from: 'PENDING', to: 'RUNNING' } });
    expect(t.store.getVerdicts(id)[0]).toMatchObject({ ratio: 1.04, verdict: 'within' });
    expect(t.store.getEvents(id)[0]).toMatchObject({ kind: 'state', data: { to: 'RUNNING' } });
  });
});

describe('store: importRun', () => {
  it('imports a finished log in one transaction: all of it or nothing', () => {
    t = tempStore();
    const run = t.store.importRun({
      run: { name: 'imported', model: 'gpt3-126m', sourceLog: '/logs/x.log' },
      steps: steps(1, 50),
      result: { meanStepTimeS: 0.7 },
      telemetry: [{ source: 'dmon', gpu: 0, ts: 1, utilPct: 90 }],
    });
    expect(run).toMatchObject({ state: 'IMPORTED', stepTimeS: 0.7 });
    expect(t.store.countSteps(run.id)).toBe(50);
    // A sample with a NULL timestamp violates NOT NULL half way through: nothing of this import may remain.
    const bad = { source: 'dmon', gpu: 0, ts: null as unknown as number };
    expect(() => t.store.importRun({ run: { id: 'BROKEN', name: 'half' }, steps: steps(1, 10), telemetry: [bad] })).toThrow();
    expect(t.store.getRun('BROKEN')).toBeUndefined();
    expect(t.store.countSteps('BROKEN')).toBe(0);
    expect(t.store.countRuns()).toBe(1);
    // A batch import is one transaction too: one bad run and none of the batch is kept.
    expect(() => t.store.importRuns([{ run: { name: 'ok 1' } }, { run: { name: 'ok 2' } }, { run: { id: run.id, name: 'clash' } }])).toThrow(/already stored/);
    expect(t.store.countRuns()).toBe(1);
  });
});

describe('store: secrets', () => {
  it('never writes a planted secret: not in the spec, events, reasons, nor anywhere in the file', async () => {
    const secret = 'hf_PLANTED_secret_value_123';
    t = tempStore({ env: { HF_TOKEN: secret } });
    const run = t.store.createRun({
      name: 'secret run',
      spec: { env: { HF_TOKEN: secret, OTHER_API_KEY: 'x' }, command: `hf download --token ${secret} meta-llama/Llama-3-8B` },
      reason: `auth failed for ${secret}`,
    });
    t.store.addEvent(run.id, { kind: 'launch', data: { argv: ['--token', secret] } });
    t.store.updateRun(run.id, { state: 'FAILED', reason: `401 with token ${secret}` });
    const stored = t.store.getRun(run.id)!;
    expect(stored.spec).toEqual({ env: { HF_TOKEN: '***', OTHER_API_KEY: '***' }, command: 'hf download --token *** meta-llama/Llama-3-8B' });
    expect(stored.reason).toBe('401 with token ***');
    expect(JSON.stringify(t.store.getEvents(run.id))).not.toContain(secret);
    t.store.close();
    const { readFileSync, existsSync } = await import('node:fs');
    for (const f of [t.file, `${t.file}-wal`]) if (existsSync(f)) expect(readFileSync(f).includes(secret)).toBe(false);
  });
});

describe('defaultHome', () => {
  it('uses TRAINBENCH_HOME, else ~/.trainbench', () => {
    expect(defaultHome({ TRAINBENCH_HOME: '/data/tb' })).toBe('/data/tb');
    expect(defaultHome({ HOME: '/home/me' })).toBe('/home/me/.trainbench');
    expect(defaultStorePath({ TRAINBENCH_HOME: '/data/tb' })).toBe('/data/tb/store.sqlite');
  });
});
