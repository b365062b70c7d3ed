import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobHandle } from '../executors/types.ts';
import { readJobHandle, writeJobHandle } from './job-file.ts';
import { createRunDir, listRuns, resolveRun, trainbenchHome } from './run-dir.ts';
import { countStepLines } from './steps.ts';
import { copyFrom } from './follow.ts';

const home = mkdtempSync(join(tmpdir(), 'tb-rundir-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

const handleFor = (runDir: string, jobId: string): JobHandle => ({
  executor: 'slurm',
  jobId,
  name: basename(join(runDir, '..')),
  runDir,
  submittedAt: '2026-11-26T06:00:00.000Z',
  worldSize: 2,
  logFile: join(runDir, `log-x_${jobId}_0.out`),
});

describe('run directories', () => {
  it('defaults TRAINBENCH_HOME to ~/.trainbench', () => {
    expect(trainbenchHome({})).toBe(join(homedir(), '.trainbench'));
    expect(trainbenchHome({ TRAINBENCH_HOME: '/x/y' })).toBe('/x/y');
  });

  it('creates <home>/runs/<name>/<name>_<stamp>, never reusing one', () => {
    const now = new Date('2026-11-26T06:01:02.345Z');
    const a = createRunDir(home, 'lora 8b', now);
    const b = createRunDir(home, 'lora 8b', now);
    expect(a).toBe(join(home, 'runs', 'lora_8b', 'lora_8b_20261126T060102'));
    expect(b).toBe(`${a}-2`);
  });

  it('round-trips job.json and resolves by path, name, dir name and job id', () => {
    const older = createRunDir(home, 'pre', new Date('2026-01-01T00:00:00Z'));
    writeJobHandle(handleFor(older, '100'));
    const newer = createRunDir(home, 'pre', new Date('2026-01-02T00:00:00Z'));
    writeJobHandle(handleFor(newer, '101'));
    expect(readJobHandle(newer)).toEqual(handleFor(newer, '101'));
    expect(listRuns(home).slice(0, 2)).toEqual([newer, older]);
    expect(resolveRun(home, 'pre')).toBe(newer);
    expect(resolveRun(home, basename(older))).toBe(older);
    expect(resolveRun(home, '100')).toBe(older);
    expect(resolveRun(home, older, '/')).toBe(older);
    expect(() => resolveRun(home, 'per')).toThrow(/no run 'per'/);
  });

  it('refuses a corrupt job.json with the file and field', () => {
    const dir = createRunDir(home, 'bad');
    writeFileSync(join(dir, 'job.json'), JSON.stringify({ executor: 'pbs' }));
    expect(() => readJobHandle(dir)).toThrow(expect.objectContaining({ code: 'bad-job-file', field: 'executor' }));
    writeFileSync(join(dir, 'job.json'), '{');
    expect(() => readJobHandle(dir)).toThrow(expect.objectContaining({ code: 'bad-job-file' }));
  });
});

describe('log helpers', () => {
  it('counts step lines of several engines, not workload events', () => {
    const file = join(home, 'steps.log');
    writeFileSync(
      file,
      [
        'Training epoch 0, iteration 0/9 | lr: 0.0003 | train_step_timing in s: 0.9181 | consumed_samples: 2',
        'TRAINBENCH_EVENT {"event":"step","step":0,"loss":5.5}',
        ' [2024-01-01 00:00:00] iteration        1/  100 | elapsed time per iteration (ms): 812.3 | lm loss: 9.1',
        '[titan] step:  3  loss:  7.12  memory: 30GiB',
        'nothing here',
      ].join('\n'),
    );
    expect(countStepLines(file)).toBe(3);
    expect(countStepLines(join(home, 'missing.log'))).toBe(0);
  });

  it('copies from an offset, multi-byte characters intact', () => {
    const file = join(home, 'f.log');
    writeFileSync(file, 'héllo\n');
    let out = '';
    const end = copyFrom(file, 0, (t) => void (out += t));
    expect(out).toBe('héllo\n');
    expect(copyFrom(file, end, (t) => void (out += t))).toBe(end);
  });
});
