import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../__tests__/run-cli.ts';

let slurmUp = false;
beforeAll(() => {
  slurmUp = spawnSync('bash', ['scripts/slurm-local.sh', 'start'], { stdio: 'ignore', timeout: 170_000 }).status === 0;
});

describe('trainbench cluster check', () => {
  it('passes the local profile against the real single-host Slurm', async (ctx) => {
    if (!slurmUp) ctx.skip();
    const r = await runCli(['cluster', 'check', '--cluster', 'local', '--json']);
    const doc = JSON.parse(r.stdout) as { ok: boolean; checks: { check: string; ok: boolean }[] };
    expect(doc.checks.map((c) => c.check)).toEqual(['scheduler', 'partition', 'sbatch --test-only', 'stage path', 'python']);
    expect(doc.ok).toBe(true);
    expect(r.code).toBe(0);
  });

  it('names the missing partition and exits 8', async (ctx) => {
    if (!slurmUp) ctx.skip();
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'tb-prof-'));
    const file = join(dir, 'p.yaml');
    writeFileSync(file, `schema_version: 1\nname: wrong\npartition: nosuch\ngpus_per_node: 0\ngpu_request: none\nstage_path: ${dir}/stage\npython: /usr/bin/python3\n`);
    const r = await runCli(['cluster', 'check', '--cluster', file]);
    expect(r.code).toBe(8);
    expect(r.stdout).toMatch(/FAIL\s+partition\s+nosuch not in: debug/);
  });

  it('asks for HF_TOKEN without printing it', async (ctx) => {
    if (!slurmUp) ctx.skip();
    const r = await runCli(['cluster', 'check', '--gated', '--json'], { env: { ...process.env, HF_TOKEN: 'hf_plantedsecretvalue123' } });
    expect(r.stdout).not.toContain('hf_plantedsecretvalue123');
    expect(r.stdout).toContain('set (value not shown)');
  });
});
