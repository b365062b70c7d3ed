import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobSpec } from '../jobs/spec.ts';
import { renderSbatch, sbatchLogName, shq } from './sbatch.ts';

const nasty = ["it's", 'a b', '$(touch /tmp/pwned)', '`id`', 'x; rm -rf /', 'two\nlines', '"dq"', '\\', '', '*', '~'];

const dir = mkdtempSync(join(tmpdir(), 'tb-sbatch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What bash makes of the quoted words: each argument NUL-terminated. */
function bashWords(quoted: string): string[] {
  const out = execFileSync('bash', ['-c', `printf '%s\\0' ${quoted}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

const base: JobSpec = {
  name: 'tiny',
  runDir: '/tmp/runs/tiny/tiny_1',
  nodes: 1,
  tasksPerNode: 2,
  command: ['/usr/bin/python3', 'train.py', '--config', 'run.json'],
  env: {},
};

describe('shq', () => {
  it('keeps hostile values as data', () => {
    expect(bashWords(nasty.map(shq).join(' '))).toEqual(nasty);
  });

  it('round-trips any string through bash', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', minLength: 0, maxLength: 12 }).filter((s) => !s.includes('\0')), { minLength: 1, maxLength: 4 }), (args) => {
        expect(bashWords(args.map(shq).join(' '))).toEqual(args);
      }),
      { numRuns: 40 },
    );
  });
});

describe('renderSbatch', () => {
  it('renders the minimal header and srun line', () => {
    const text = renderSbatch(base);
    expect(text).toContain('#SBATCH --job-name=tiny\n#SBATCH --nodes=1\n#SBATCH --ntasks-per-node=2\n');
    expect(text).toContain('#SBATCH --output="/tmp/runs/tiny/tiny_1/log-tiny_%j_0.out"');
    expect(text).not.toMatch(/--gpus-per-node|--partition|--account|--qos|--signal|--time/);
    expect(text).toContain('srun --kill-on-bad-exit=1 bash -c');
    expect(text).toMatch(/trainbench-rank \/usr\/bin\/python3 train.py --config run.json\n$/);
  });

  it('adds optional resources only when given, with the seeds log name', () => {
    const text = renderSbatch({
      ...base,
      gpusPerNode: 8,
      cpusPerTask: 4,
      timeLimitMinutes: 90,
      partition: 'batch',
      account: 'proj1',
      qos: 'turing',
      signal: { name: 'USR1', secondsBefore: 120 },
      masterPort: 29500,
    });
    for (const line of ['--gpus-per-node=8', '--cpus-per-task=4', '--time=90', '--partition=batch', '--account=proj1', '--qos=turing', '--signal=USR1@120']) {
      expect(text).toContain(`#SBATCH ${line}\n`);
    }
    expect(sbatchLogName({ name: 'lora_8b', account: 'proj1' }, '1771198')).toBe('log-proj1.lora_8b_1771198_0.out');
    expect(text).toContain('MASTER_PORT="${MASTER_PORT:-29500}"');
  });

  it('writes env names but never their values', () => {
    const text = renderSbatch({ ...base, env: { HF_TOKEN: 'hf_secret_value', OMP_NUM_THREADS: '1' } });
    expect(text).toContain('HF_TOKEN OMP_NUM_THREADS');
    expect(text).not.toContain('hf_secret_value');
  });

  it('refuses header values that would break out of the #SBATCH line', () => {
    expect(() => renderSbatch({ ...base, runDir: '/tmp/a\nrm -rf /' })).toThrow(/cannot go on an #SBATCH line/);
    expect(() => renderSbatch({ ...base, account: 'a b' })).toThrow(/account/);
    expect(() => renderSbatch({ ...base, command: [] })).toThrow(/no command/);
  });

  it('passes bash -n and shellcheck with hostile names, paths and arguments', () => {
    const text = renderSbatch({
      ...base,
      name: nasty.join('|'),
      runDir: "/tmp/it's $(x) `y` ; 100% dir",
      command: ['/usr/bin/python3', ...nasty],
      env: { A_B: '$(x)' },
    });
    // The name became a safe word; no line but the srun one carries the hostile argv.
    expect(text).toMatch(/#SBATCH --job-name=[A-Za-z0-9._+-]+\n/);
    expect(text).toContain('#SBATCH --output="/tmp/it\'s $(x) `y` ; 100%% dir/log-');
    const file = join(dir, 'sbatch.sh');
    writeFileSync(file, text);
    expect(spawnSync('bash', ['-n', file]).status).toBe(0);
    const check = spawnSync('shellcheck', ['-s', 'bash', file], { encoding: 'utf8' });
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
    // The srun line hands bash exactly the argv we asked for.
    const srunLine = text.slice(text.indexOf('\nsrun ') + '\nsrun '.length); // the argv spans lines (a newline arg)
    const words = bashWords(srunLine);
    expect(words.slice(words.indexOf('trainbench-rank') + 1)).toEqual(['/usr/bin/python3', ...nasty]);
  });
});

describe('renderSbatch with telemetry', () => {
  it('samples every node and still records the exit status, passing bash -n and shellcheck', async () => {
    const { spawnSync } = await import('node:child_process');
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const script = renderSbatch({ name: 'tel', runDir: '/runs/tel', nodes: 2, tasksPerNode: 1, command: ['python3', 'x.py'], env: {}, telemetry: true });
    expect(script).toContain('--ntasks-per-node=1 --overlap');
    expect(script).toContain(`tb_exit() { tb_telemetry_stop; echo "$1" > slurm.exit; }`);
    expect(script).toContain(`trap 'tb_exit "$?"' EXIT`);
    expect(script).toContain('SLURMD_NODENAME');
    const dir = mkdtempSync(join(tmpdir(), 'tb-sbatch-tel-'));
    try {
      const file = join(dir, 's.sh');
      writeFileSync(file, script);
      expect(spawnSync('bash', ['-n', file], { encoding: 'utf8' }).stderr).toBe('');
      if (spawnSync('shellcheck', ['--version']).status === 0) {
        expect(spawnSync('shellcheck', ['-S', 'warning', file], { encoding: 'utf8' }).stdout).toBe('');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
