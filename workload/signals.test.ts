// Preemption signals at the awkward moments, on real 2-rank gloo runs. A `stop` fault (the rank SIGSTOPs itself at
// a named moment) lets the test deliver the signal exactly there; the last test races a signal against the
// interpreter's shutdown, as a late `--signal=USR1@...` or a local time-limit timer does, which once ended a finished
// run with 138 (killed by SIGUSR1).
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TINY, describeFailure, events, launch, signalStopped, tempDir, writeConfig, type RankResult } from './__tests__/harness.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const STEPS = 4;
const LONG = 180_000;
const config = (name: string) => writeConfig(tmp.dir, { ...TINY, steps: STEPS, checkpoint: { dir: join(tmp.dir, name), every: 2 } }, `${name}.json`);
const late = (r: RankResult, signal: string) => `trainbench-workload: rank ${r.rank}: ${signal} arrived after training had finished (${STEPS} steps done); exiting 0`;

describe('workload: signals around start-up and the end of training', () => {
  it('SIGUSR1 during start-up (before torch is imported) is the usual preemption: checkpoint at the first step end, exit 0', async () => {
    const run = await launch({ world: 2, configPath: config('setup'), timeoutMs: 150_000, env: { TRAINBENCH_FAULT: 'stop:at=setup:rank=1' } });
    await signalStopped(run.children[1]!, 'SIGUSR1');
    const r = await run.results;
    expect(r.map((x) => [x.code, x.signal]), describeFailure(r)).toEqual([[0, null], [0, null]]);
    const ev = events(r[0]!.stdout);
    expect(ev.find((e) => e.event === 'preempted')).toMatchObject({ signal: 'SIGUSR1', step: 1 });
    expect(ev.find((e) => e.event === 'checkpoint')).toMatchObject({ step: 1 });
    expect(ev.at(-1)).toMatchObject({ event: 'end', status: 'preempted', steps: 1 });
  }, LONG);

  it('SIGUSR1 after the last step line and the final checkpoint: training completed, a log line, exit 0', async () => {
    const run = await launch({ world: 2, configPath: config('done'), timeoutMs: 150_000, env: { TRAINBENCH_FAULT: 'stop:at=done' } });
    await Promise.all(run.children.map((c) => signalStopped(c, 'SIGUSR1')));
    const r = await run.results;
    expect(r.map((x) => [x.code, x.signal]), describeFailure(r)).toEqual([[0, null], [0, null]]);
    const ev = events(r[0]!.stdout);
    expect(ev.filter((e) => e.event === 'checkpoint').map((e) => e['step'])).toEqual([2, 4]);
    expect(ev.some((e) => e.event === 'preempted')).toBe(false);
    expect(ev.at(-1)).toMatchObject({ event: 'end', status: 'completed', steps: STEPS });
    for (const rank of r) expect(rank.stderr).toContain(late(rank, 'SIGUSR1'));
  }, LONG);

  it('SIGTERM once everything is written, just before the exit: still exit 0, with the log line', async () => {
    const run = await launch({ world: 2, configPath: config('exit'), timeoutMs: 150_000, env: { TRAINBENCH_FAULT: 'stop:at=exit' } });
    await Promise.all(run.children.map((c) => signalStopped(c, 'SIGTERM')));
    const r = await run.results;
    expect(r.map((x) => [x.code, x.signal]), describeFailure(r)).toEqual([[0, null], [0, null]]);
    expect(events(r[0]!.stdout).at(-1)).toMatchObject({ event: 'end', status: 'completed', steps: STEPS });
    for (const rank of r) expect(rank.stderr).toContain(late(rank, 'SIGTERM'));
  }, LONG);

  it('SIGUSR1 to every rank as soon as the end event is out (the interpreter-shutdown window): exit 0, not 138', async () => {
    const run = await launch({ world: 2, configPath: config('race'), timeoutMs: 150_000 });
    await run.eventReached('end');
    for (const child of run.children) child.kill('SIGUSR1'); // a rank that already left is not signalled
    const r = await run.results;
    expect(r.map((x) => [x.code, x.signal]), describeFailure(r)).toEqual([[0, null], [0, null]]);
    expect(events(r[0]!.stdout).at(-1)).toMatchObject({ event: 'end', status: 'completed', steps: STEPS });
  }, LONG);
});
