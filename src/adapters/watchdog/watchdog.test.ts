// The watchdog on real processes: rank "processes" are real python3 sleepers named by the run's run.json, one of them
// SIGSTOPped; the stall rule on its own numbers; the check flagging once, with watchdog.json written.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findPython } from '../python/index.ts';
import { DEFAULT_WATCHDOG, createWatchdog, judgeStall, median, rankActivity, silentRank } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'tb-watchdog-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const stepLine = (s: number, t: number) =>
  `Training epoch 0, iteration ${s}/99 | lr: 0.0003 | global_batch_size: 8 | reduced_train_loss: 5.0000 | train_step_timing in s: ${t} | consumed_samples: ${(s + 1) * 8}\n`;

describe('stall rule', () => {
  it('flags after K x median step time, never under the floor, not before enough steps', () => {
    const p = { ...DEFAULT_WATCHDOG, k: 5, minStallS: 10, minSteps: 3 };
    expect(median([3, 1, 2])).toBe(2);
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(judgeStall([1, 1], 1, 100, p)).toBeUndefined();
    expect(judgeStall([1, 1, 1], 2, 9, p)).toMatchObject({ stalled: false, thresholdS: 10 });
    expect(judgeStall([4, 4, 4], 2, 19, p)).toMatchObject({ stalled: false, thresholdS: 20 });
    expect(judgeStall([4, 4, 4], 2, 20, p)).toMatchObject({ stalled: true, medianStepS: 4 });
  });
});

describe('silent rank on real processes', () => {
  it('names the stopped rank and flags the stall once', async () => {
    const marker = join(dir, 'run.json');
    writeFileSync(marker, '{}');
    const python = findPython(process.env);
    for (const rank of [0, 1]) {
      const c = spawn(python, ['-c', 'import time; time.sleep(120)', marker], { env: { ...process.env, RANK: String(rank) }, stdio: 'ignore' });
      children.push(c);
    }
    const deadline = Date.now() + 20_000;
    // Until both interpreters have started and gone to sleep one may still be running; then nobody stands out.
    // Wait for both to be in the sleep itself: two still-starting interpreters also look alike for a moment (a
    // loaded machine once showed them so, and the first then fell asleep alone).
    const asleep = (r: { procState: string; wchan?: string }) => r.procState === 'S' && r.wchan === 'hrtimer_nanosleep';
    const settled = () => rankActivity(dir, 2).every(asleep) && silentRank(rankActivity(dir, 2)) === undefined;
    while (!settled() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(silentRank(rankActivity(dir, 2))).toBeUndefined(); // both asleep in nanosleep
    children[1]!.kill('SIGSTOP');
    await new Promise((r) => setTimeout(r, 300));
    expect(silentRank(rankActivity(dir, 2))).toMatchObject({ rank: 1, why: expect.stringMatching(/stopped/) });

    const log = join(dir, 'log.out');
    for (let s = 0; s < 4; s++) appendFileSync(log, stepLine(s, 1));
    let now = 0;
    const dog = createWatchdog({ logFile: log, runDir: dir, worldSize: 2, policy: { ...DEFAULT_WATCHDOG, k: 5, minStallS: 10 }, now: () => now });
    expect(dog.check()).toBeUndefined(); // first sight of step 3
    now = 9_000;
    expect(dog.check()).toBeUndefined();
    now = 10_000;
    const report = dog.check();
    expect(report?.silent?.rank).toBe(1);
    expect(report?.message).toMatch(/no new step for 10 s after step 3 .*rank 1 went silent/);
    expect(dog.check()).toBeUndefined(); // flagged once
    expect(JSON.parse(readFileSync(join(dir, 'watchdog.json'), 'utf8')).silent.rank).toBe(1);
    children[1]!.kill('SIGCONT');
  });

  it('a rank whose process is gone while its peer runs is the silent one', () => {
    expect(silentRank([{ rank: 0, procState: 'S', pid: 1 }, { rank: 1, procState: 'gone' }])).toMatchObject({ rank: 1 });
    expect(existsSync(dir)).toBe(true);
  });
});
