import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseVmstat, renderTelemetrySnippet } from '../../core/telemetry/index.ts';
import { startTelemetry, which } from './capture.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'tb-telemetry-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('startTelemetry', () => {
  it('captures vmstat -t for real and stops exactly its own PIDs', async () => {
    const runDir = tempDir();
    const capture = startTelemetry(runDir, { gpu: true, host: 'node1' });
    expect(capture.files.vmstat).toBe(join(runDir, 'telemetry', 'node1-vmstat.txt'));
    // No nvidia-smi on this machine: GPU capture is skipped rather than failing.
    expect(capture.files.dmon === undefined).toBe(which('nvidia-smi') === null);
    expect(capture.pids.every(alive)).toBe(true);
    await sleep(2500);
    await capture.stop();
    expect(capture.pids.some(alive)).toBe(false);
    const parsed = parseVmstat(readFileSync(capture.files.vmstat, 'utf8'), { utcOffsetHours: 0 });
    expect(parsed.warnings).toEqual([]);
    expect(parsed.clock.zone).not.toBeNull();
    expect(parsed.samples.length).toBeGreaterThanOrEqual(1);
    expect(parsed.samples.every((s) => s.t !== null && s.us !== null)).toBe(true);
  });
});

describe('startTelemetry without vmstat on PATH', () => {
  it('writes nothing useful but starts, stops and never hangs', async () => {
    const runDir = tempDir();
    const saved = process.env.PATH;
    process.env.PATH = tempDir(); // an empty directory: neither stdbuf nor vmstat nor nvidia-smi
    try {
      const capture = startTelemetry(runDir, { gpu: true, host: 'bare' });
      expect(capture.files.dmon).toBeUndefined();
      await capture.stop();
      expect(capture.pids.some(alive)).toBe(false);
    } finally {
      process.env.PATH = saved;
    }
  });
});

describe('renderTelemetrySnippet', () => {
  it('passes shellcheck in both modes', () => {
    for (const perNode of [true, false]) {
      const script = `#!/bin/bash\n${renderTelemetrySnippet({ dir: '$SLURM_SUBMIT_DIR/runs/x/telemetry', perNode })}sleep 1\n`;
      const result = spawnSync('shellcheck', ['-s', 'bash', '-'], { input: script, encoding: 'utf8' });
      expect(result.stdout + result.stderr).toBe('');
    }
  });

  it('starts vmstat on the batch host, records its PID and kills it when the script exits', () => {
    const dir = join(tempDir(), 'tele "quoted"');
    const script = join(tempDir(), 'job.sh');
    writeFileSync(script, `#!/bin/bash\n${renderTelemetrySnippet({ dir, perNode: false })}sleep 2.5\n`);
    execFileSync('bash', [script], { timeout: 20_000 });
    const host = execFileSync('hostname', ['-s'], { encoding: 'utf8' }).trim();
    const pids = readFileSync(join(dir, `${host}-pids`), 'utf8').trim().split(/\s+/).map(Number);
    expect(pids.length).toBeGreaterThanOrEqual(1);
    expect(pids.some(alive)).toBe(false);
    const parsed = parseVmstat(readFileSync(join(dir, `${host}-vmstat.txt`), 'utf8'), { utcOffsetHours: 0 });
    expect(parsed.samples.length).toBeGreaterThanOrEqual(1);
    expect(existsSync(join(dir, `${host}-dmon.txt`))).toBe(which('nvidia-smi') !== null);
  });
});
