// The sbatch snippet on the embedded single-host Slurm (scripts/slurm-local.sh): srun --overlap starts the
// samplers beside the job's own steps, and the EXIT trap stops them cleanly when the batch script ends.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseVmstat, renderTelemetrySnippet } from '../../core/telemetry/index.ts';
import { LOCAL_SLURM_CONF } from '../executors/__tests__/local-slurm.ts';

const SLURM_CONF = LOCAL_SLURM_CONF;

function startSlurm(): string | undefined {
  const script = resolve(import.meta.dirname, '..', '..', '..', 'scripts', 'slurm-local.sh');
  const run = spawnSync('bash', [script, 'start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
  if (run.status === 0) return undefined;
  const why = `scripts/slurm-local.sh start failed (exit ${run.status}): ${(run.stderr || run.stdout).trim()}`;
  console.error(`\n*** SKIPPING the telemetry snippet on Slurm: ${why} ***\n`);
  return why;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.skipIf(startSlurm() !== undefined)('renderTelemetrySnippet on Slurm', () => {
  it('samples every node of the job and leaves no sampler behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tb-snippet-slurm-'));
    try {
      const tele = join(dir, 'telemetry');
      const script = join(dir, 'job.sh');
      writeFileSync(script, `#!/bin/bash\n#SBATCH -N1 -n1 -o ${join(dir, 'out.txt')}\n${renderTelemetrySnippet({ dir: tele, perNode: true })}sleep 3\necho finished\n`);
      execFileSync('sbatch', ['--wait', script], { env: { ...process.env, SLURM_CONF }, timeout: 120_000 });
      expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('finished\n'); // no srun kill noise: it ended cleanly
      const pidFile = readdirSync(tele).find((n) => n.endsWith('-pids'))!;
      const host = pidFile.replace(/-pids$/, '');
      const pids = readFileSync(join(tele, pidFile), 'utf8').trim().split(/\s+/).map(Number);
      expect(pids.some(alive)).toBe(false);
      const parsed = parseVmstat(readFileSync(join(tele, `${host}-vmstat.txt`), 'utf8'), { utcOffsetHours: 0 });
      expect(parsed.warnings).toEqual([]);
      expect(parsed.samples.length).toBeGreaterThanOrEqual(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
