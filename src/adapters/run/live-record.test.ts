// The live recorder against the reference workload's real output, replayed as it grows (cut at every step line and
// mid-line): whatever it stores while the log grows must equal what the final parse stores, so the final append
// finds duplicates only, never a conflicting row.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseFile } from '../ingest/index.ts';
import { openStore } from '../store/index.ts';
import { readTelemetryDir } from '../telemetry/read-dir.ts';
import { stepRows } from './attempts.ts';
import { completeLines, liveRecorder } from './live-record.ts';

const python = '/usr/bin/python3';
const train = join(import.meta.dirname, '../../../workload/train.py');
const dir = mkdtempSync(join(tmpdir(), 'tb-live-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function workloadLog(): string {
  const config = join(dir, 'run.json');
  writeFileSync(config, JSON.stringify({
    model: { layers: 1, hidden: 64, ffn: 128, heads: 2, kv_heads: 1, vocab: 512 },
    seq_len: 32, micro_batch: 2, global_batch: 4, steps: 6, device: 'cpu', cpu_threads: 1,
  }));
  const log = join(dir, 'full.out');
  const env = { ...process.env, RANK: '0', WORLD_SIZE: '1', LOCAL_RANK: '0' };
  spawnSync('bash', ['-c', `'${python}' '${train}' --config '${config}' > '${log}' 2>&1`], { env, timeout: 120_000 });
  return log;
}

describe('completeLines', () => {
  it('leaves a last line without its newline for the next read', () => {
    const f = join(dir, 'partial.txt');
    writeFileSync(f, 'one\r\ntwo\nthr');
    expect(completeLines(f)).toEqual({ from: 0, lines: ['one', 'two'], starts: [0, 5], end: 9 });
    expect(completeLines(f, 5)).toEqual({ from: 5, lines: ['two'], starts: [5], end: 9 });
    expect(completeLines(f, 9)).toEqual({ from: 9, lines: [], starts: [], end: 9 });
    // A file shorter than the offset was replaced: it is read from its start.
    expect(completeLines(f, 100)).toEqual({ from: 0, lines: ['one', 'two'], starts: [0, 5], end: 9 });
    writeFileSync(f, 'no newline yet');
    expect(completeLines(f).lines).toEqual([]);
    expect(completeLines(join(dir, 'absent.txt')).lines).toEqual([]);
  });
});

describe.skipIf(!existsSync(python))('liveRecorder on a growing workload log', () => {
  it('stores settled steps and telemetry as they appear, equal to the final parse', async () => {
    const full = readFileSync(workloadLog());
    const text = full.toString('utf8');
    const final = (await parseFile(join(dir, 'full.out'), { format: 'workload' })).output.steps;
    expect(final.map((s) => s.step)).toEqual([0, 1, 2, 3, 4, 5]);

    const store = openStore(join(dir, 'store.sqlite'), { env: {} });
    try {
      const run = store.createRun({ name: 'live', state: 'RUNNING' });
      const tel = join(dir, 'telemetry');
      mkdirSync(tel);
      const vmstat = readFileSync(join(import.meta.dirname, '../../../fixtures/telemetry/h200-host-vmstat-t.txt'), 'utf8');
      const growing = join(dir, 'growing.out');
      // A clock that stands still within a pass and jumps an hour between polls: every poll is due (the throttle
      // has its own test).
      let clock = 0;
      const live = liveRecorder(store, run.id, { intervalMs: 0, telemetryDir: tel, now: () => clock });
      // Cut points: just before, inside and after every step line, and the whole file.
      const cuts = [...text.matchAll(/Training epoch/g)].flatMap((m) => [m.index, m.index + 20, text.indexOf('\n', m.index) + 1]);
      const seen: number[] = [];
      for (const cut of [...cuts, full.length]) {
        writeFileSync(growing, full.subarray(0, cut));
        writeFileSync(join(tel, 'vm-vmstat.txt'), vmstat.slice(0, Math.floor((vmstat.length * cut) / full.length)));
        clock += 3_600_000;
        live.poll(0, growing);
        seen.push(store.countSteps(run.id));
        for (const row of store.getSteps(run.id)) {
          const want = stepRows(final, 0).find((r) => r.step === row.step)!;
          expect(row).toEqual(want);
        }
      }
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
      expect(seen.at(-1)).toBe(5);
      // The newest step is held back until the next one is logged (the final parse stores it).
      expect(live.stepsStored).toBe(5);
      // Each pass read from the newest settled step on, not the whole log again.
      expect(live.bytesRead).toBeLessThan(full.length + cuts.length * 1024);
      // Every sample of the whole capture is stored once, though each pass parsed the file whole.
      const all = readTelemetryDir(tel, -new Date().getTimezoneOffset() / 60).cpu.length;
      expect(all).toBeGreaterThan(0);
      expect(store.countTelemetry(run.id)).toBe(all);
      // The attempt's final parse: the last step joins, nothing conflicts.
      const result = store.appendSteps(run.id, stepRows(final, 0), { attempt: 0 });
      expect(result).toEqual({ inserted: 1, duplicates: 5, conflicts: [] });
      // A resubmitted attempt writes its log under the same name (the local executor moved the old one away): the
      // recorder reads it from the start, under the new attempt number.
      writeFileSync(growing, full.subarray(0, cuts[11]!));
      clock += 3_600_000;
      live.poll(1, growing);
      expect(store.getSteps(run.id).filter((r) => r.attempt === 1)).toEqual(stepRows(final.slice(0, 3), 1));
    } finally {
      store.close();
    }
  });
});

describe('liveRecorder throttle', () => {
  it('passes at most once per interval, stretched to 20x the cost of the last pass', () => {
    const store = openStore(join(dir, 'throttle.sqlite'), { env: {} });
    try {
      const run = store.createRun({ name: 'throttle', state: 'RUNNING' });
      let t = 0;
      const live = liveRecorder(store, run.id, { intervalMs: 1000, now: () => t });
      const at = (ms: number) => {
        t = ms;
        live.poll(0, join(dir, 'absent.out'));
        return live.passes;
      };
      expect([at(0), at(500), at(999), at(1000), at(1500), at(2000)]).toEqual([1, 1, 1, 2, 2, 3]);
    } finally {
      store.close();
    }
  });
});
