// scripts/pack.sh for real: the pack unpacks into a working CLI that runs on its bundled Node with no other Node or
// npm on PATH, with the production dependencies only (better-sqlite3's native module included); and the GPU
// machine's script passes shellcheck (it runs where no test can).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/adapters/paths.ts';

const root = packageRoot();
const tmp = mkdtempSync(join(tmpdir(), 'tb-pack-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('scripts/pack.sh', () => {
  it('packs a CLI that runs from its own Node without the dev dependencies', () => {
    const pack = spawnSync('bash', [join(root, 'scripts', 'pack.sh'), join(tmp, 'pack')], {
      encoding: 'utf8',
      env: { ...process.env, TRAINBENCH_PACK_XZ_LEVEL: '0', ...(existsSync(join(root, 'dist', 'cli', 'main.js')) ? { TRAINBENCH_PACK_NO_BUILD: '1' } : {}) },
      timeout: 300_000,
    });
    expect(pack.status, pack.stderr).toBe(0);
    const unpack = spawnSync('bash', [join(tmp, 'pack', 'unpack.sh'), join(tmp, 'app')], { encoding: 'utf8', timeout: 120_000 });
    expect(unpack.status, unpack.stderr).toBe(0);
    const cli = unpack.stdout.trim();
    expect(cli).toBe(join(tmp, 'app', 'trainbench'));
    expect(existsSync(join(tmp, 'app', 'node_modules', 'better-sqlite3'))).toBe(true);
    expect(existsSync(join(tmp, 'app', 'node_modules', 'vitest'))).toBe(false);
    expect(existsSync(join(tmp, 'app', 'node_modules', 'typescript'))).toBe(false);

    // A bare environment: no node or npm on PATH, no TRAINBENCH_HOME of the test run.
    const env = { PATH: '/usr/bin:/bin', HOME: tmp, TRAINBENCH_HOME: join(tmp, 'home') };
    const recipes = spawnSync(cli, ['recipes', '--json'], { encoding: 'utf8', env, timeout: 60_000 });
    expect(recipes.status, recipes.stderr).toBe(0);
    expect(recipes.stdout).toContain('workload-llama3-8b-h200');
    const imported = spawnSync(cli, ['results', 'import', join(root, 'fixtures', 'gpu', 'h200-2026-11-26', 'call3', '1b')], { encoding: 'utf8', env, timeout: 60_000 });
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/^1 of 1 run folders imported/m);
  });

  it('the scripts that run on the GPU machine pass shellcheck', () => {
    const check = spawnSync('shellcheck', ['-S', 'warning', join(root, 'bench', 'gpu', 'device-run.sh'), join(root, 'scripts', 'pack.sh')], { encoding: 'utf8' });
    expect(check.status, check.stdout).toBe(0);
  });
});
