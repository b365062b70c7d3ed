// Checkpoint/resume on real ranks: SIGKILL both ranks mid-run, relaunch, and the run continues from the newest
// complete checkpoint with the same step numbering and the same losses as an uninterrupted run. A step directory
// without manifest.json (a checkpoint cut off half-way) is never picked. SIGTERM/SIGUSR1 checkpoint and stop.
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  STEP_LINE,
  TINY,
  describeFailure,
  events,
  launch,
  runRanks,
  stepLosses,
  tempDir,
  writeConfig,
} from './__tests__/harness.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const STEPS = 16;
// Four 2-rank launches per test: generous time for a loaded 2-core machine.
const LONG = 300_000;
const withCkpt = (dir: string) => ({ ...TINY, steps: STEPS, checkpoint: { dir, every: 5 } });

describe('workload checkpoint and resume', () => {
  it('resumes after SIGKILL from step 10 with continuing steps and matching losses', async () => {
    const fullDir = join(tmp.dir, 'full');
    const full = await runRanks({ world: 2, configPath: writeConfig(tmp.dir, withCkpt(fullDir), 'full.json') });
    expect(full.map((x) => x.code), describeFailure(full)).toEqual([0, 0]);
    const reference = stepLosses(full[0]!.stdout);
    const ckptEvents = events(full[0]!.stdout).filter((e) => e.event === 'checkpoint');
    expect(ckptEvents.map((e) => e['step'])).toEqual([5, 10, 15]);
    expect(ckptEvents[1]!['path']).toBe(join(fullDir, 'step_000010'));

    const dir = join(tmp.dir, 'killed');
    const config = writeConfig(tmp.dir, withCkpt(dir), 'killed.json');
    const run = await launch({ world: 2, configPath: config });
    await run.stepReached(12);
    for (const child of run.children) child.kill('SIGKILL');
    const killed = await run.results;
    expect(killed.map((x) => x.signal)).toEqual(['SIGKILL', 'SIGKILL']);

    const manifest = JSON.parse(readFileSync(join(dir, 'step_000010', 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ step: 10, world_size: 2, files: ['rank_00000.pt', 'rank_00001.pt'] });
    // A newer step directory whose manifest was never written must be ignored.
    mkdirSync(join(dir, 'step_000015'));
    for (const f of manifest.files as string[]) copyFileSync(join(dir, 'step_000010', f), join(dir, 'step_000015', f));

    const resumed = await runRanks({ world: 2, configPath: config });
    expect(resumed.map((x) => x.code), describeFailure(resumed)).toEqual([0, 0]);
    const out = resumed[0]!.stdout;
    expect(events(out).find((e) => e.event === 'start')).toMatchObject({ resumed_from: 10 });
    const iterations = out
      .split('\n')
      .filter((l) => STEP_LINE.test(l))
      .map((l) => Number(STEP_LINE.exec(l)![1]));
    expect(iterations).toEqual([10, 11, 12, 13, 14, 15]);
    const after = stepLosses(out);
    // Same seed, same data order, restored optimizer state: on CPU the losses come out equal to ~1e-6 (bf16 autocast).
    for (let step = 10; step <= 14; step++) {
      expect(Math.abs(after.get(step)! - reference.get(step)!) / reference.get(step)!).toBeLessThan(1e-3);
    }
    expect(existsSync(join(dir, 'step_000015', 'manifest.json'))).toBe(true);
  }, LONG);

  it('refuses (exit 3) to resume a checkpoint written for another model shape', async () => {
    const dir = join(tmp.dir, 'shape');
    const cfg = { ...TINY, steps: 2, checkpoint: { dir, every: 1 } };
    const first = await runRanks({ world: 1, configPath: writeConfig(tmp.dir, cfg, 'shape.json') });
    expect(first[0]!.code, describeFailure(first)).toBe(0);
    const [r] = await runRanks({ world: 1, configPath: writeConfig(tmp.dir, cfg, 'shape.json'), sets: ['model.layers=3'] });
    expect(r!.code).toBe(3);
    expect(r!.stderr).toContain(`checkpoint ${join(dir, 'step_000002')} was written with model=`);
  });

  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGUSR1', 0],
  ] as const) {
    it(`${signal}: checkpoints at the end of the step, emits preempted, exits ${code}; a relaunch finishes`, async () => {
      const dir = join(tmp.dir, signal);
      const config = writeConfig(tmp.dir, { ...withCkpt(dir), checkpoint: { dir, every: 0 } }, `${signal}.json`);
      const run = await launch({ world: 2, configPath: config });
      await run.stepReached(2);
      for (const child of run.children) child.kill(signal);
      const r = await run.results;
      expect(r.map((x) => x.code), describeFailure(r)).toEqual([code, code]);
      const ev = events(r[0]!.stdout);
      const preempted = ev.find((e) => e.event === 'preempted')!;
      expect(preempted).toMatchObject({ signal });
      const at = preempted['step'] as number;
      expect(ev.find((e) => e.event === 'checkpoint')).toMatchObject({ step: at });
      expect(ev.at(-1)).toMatchObject({ event: 'end', status: 'preempted', steps: at });

      const again = await runRanks({ world: 2, configPath: config });
      expect(again.map((x) => x.code), describeFailure(again)).toEqual([0, 0]);
      const ev2 = events(again[0]!.stdout);
      expect(ev2.find((e) => e.event === 'start')).toMatchObject({ resumed_from: at });
      expect(ev2.at(-1)).toMatchObject({ event: 'end', status: 'completed', steps: STEPS });
    }, LONG);
  }
});
