// A real Slurm job on the embedded single-host cluster (scripts/slurm-local.sh): the reference workload under
// `srun --label` (every line gets a `0: ` prefix) is cancelled with scancel after a few steps; the output file Slurm
// wrote is parsed and the run classified from Slurm's own marker line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyFailure } from '../../core/classify/index.ts';
import { parsePath } from './index.ts';
import { LOCAL_SLURM_CONF } from '../executors/__tests__/local-slurm.ts';

const SLURM_CONF = LOCAL_SLURM_CONF;
const script = resolve(import.meta.dirname, '../../../scripts/slurm-local.sh');
const up = existsSync(script) && existsSync('/usr/bin/python3')
  && spawnSync('bash', [script, 'start'], { stdio: 'ignore', timeout: 300_000, env: { ...process.env, CI: 'true' } }).status === 0;
const env = { ...process.env, SLURM_CONF };
const dir = mkdtempSync(join(tmpdir(), 'tb-ingest-slurm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 500))) if (check()) return true;
  return check();
}

describe.skipIf(!up)('a cancelled Slurm job, parsed', () => {
  it('strips srun --label prefixes, reads the steps, and diagnoses the cancellation', async () => {
    const out = join(dir, 'slurm-%j.out');
    const config = join(dir, 'run.json');
    writeFileSync(config, JSON.stringify({
      model: { layers: 1, hidden: 64, ffn: 128, heads: 2, kv_heads: 1, vocab: 512 },
      seq_len: 32, micro_batch: 2, global_batch: 4, steps: 100000, device: 'cpu', cpu_threads: 1,
    }));
    const batch = join(dir, 'job.sh');
    writeFileSync(batch, `#!/bin/bash\n#SBATCH -n 1\n#SBATCH -o ${out}\nsrun --label /usr/bin/python3 ${resolve(import.meta.dirname, '../../../workload/train.py')} --config ${config}\n`);
    const sub = spawnSync('sbatch', ['--parsable', batch], { encoding: 'utf8', env });
    expect(sub.status, sub.stderr).toBe(0);
    const id = sub.stdout.trim().split(';')[0]!;
    const log = out.replace('%j', id);
    try {
      const stepped = await waitFor(() => existsSync(log) && (readFileSync(log, 'utf8').match(/global_step/g)?.length ?? 0) >= 3, 90_000);
      expect(stepped, existsSync(log) ? readFileSync(log, 'utf8') : 'no output file').toBe(true);
    } finally {
      spawnSync('scancel', [id], { env });
    }
    await waitFor(() => /CANCELLED/.test(readFileSync(log, 'utf8')), 60_000);
    const parsed = await parsePath(log);
    expect(parsed.format).toBe('workload');
    expect(parsed.output.steps.length).toBeGreaterThanOrEqual(3);
    expect(parsed.output.steps[0]!.step).toBe(0);
    const d = classifyFailure({ tail: parsed.tail, steps: parsed.output.steps });
    expect(d.kind, parsed.tail.join('\n')).toBe('cancelled');
    expect(d.details.id).toContain(id);
  }, 180_000);
});
