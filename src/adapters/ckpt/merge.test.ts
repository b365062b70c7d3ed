// `trainbench ckpt merge` on a real checkpoint written by a 2-rank run of the reference workload (torch, gloo):
// newest complete step or --step, replicas checked by checksum, per-rank optimizer states kept; exit 4 with the
// layout named for checkpoints it cannot read.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/__tests__/run-cli.ts';
import { PYTHON, TINY, describeFailure, runRanks, tempDir, writeConfig } from '../../../workload/__tests__/harness.ts';

const tmp = tempDir();
const ckpt = join(tmp.dir, 'ckpt');
afterAll(() => tmp.cleanup());

beforeAll(async () => {
  const config = writeConfig(tmp.dir, { ...TINY, steps: 4, checkpoint: { dir: ckpt, every: 2 } });
  const ranks = await runRanks({ world: 2, configPath: config });
  expect(ranks.map((r) => r.code), describeFailure(ranks)).toEqual([0, 0]);
}, 300_000);

/** Reads the merged file back with torch and compares it with rank 0's shard. */
function inspect(merged: string, shardDir: string): Record<string, unknown> {
  const code = `
import json, sys, torch
m = torch.load(sys.argv[1], map_location="cpu")
r0 = torch.load(sys.argv[2] + "/rank_00000.pt", map_location="cpu")
same = all(torch.equal(m["model"][k], r0["model"][k]) for k in r0["model"])
print(json.dumps({"format": m["format"], "step": m["step"], "same_as_rank0": same, "keys": sorted(m["model"]) == sorted(r0["model"]),
  "optimizer": sorted(m["optimizer"]), "opt_has_state": all(len(v["state"]) > 0 for v in m["optimizer"].values())}))`;
  const r = spawnSync(PYTHON, ['-c', code, merged, shardDir], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

describe('ckpt merge', () => {
  it('merges the newest complete step: rank 0 model, ranks agree, optimizer per rank', async () => {
    const out = join(tmp.dir, 'merged.pt');
    const r = await runCli(['ckpt', 'merge', ckpt, '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(j).toMatchObject({ step: 4, world_size: 2, ranks_agree: true, optimizer_ranks: 2, source: join(ckpt, 'step_000004') });
    expect(j['model_sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(inspect(out, join(ckpt, 'step_000004'))).toEqual({
      format: 'trainbench-merged-checkpoint/1',
      step: 4,
      same_as_rank0: true,
      keys: true,
      optimizer: ['rank_0', 'rank_1'],
      opt_has_state: true,
    });
  });

  it('--step picks an older step; a step that does not exist is exit 4 with the steps present', async () => {
    const out = join(tmp.dir, 'step2.pt');
    const r = await runCli(['ckpt', 'merge', ckpt, '--out', out, '--step', '2']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/merged step 2 of 2 rank\(s\)/);
    expect(r.stdout).toContain('all ranks agree');
    const bad = await runCli(['ckpt', 'merge', ckpt, '--out', out, '--step', '3']);
    expect(bad.code).toBe(4);
    expect(bad.stderr).toContain('steps present: 2, 4');
  });

  it('skips a step whose manifest is missing (cut off half-way) and takes the newest complete one', async () => {
    const copy = join(tmp.dir, 'cut');
    cpSync(ckpt, copy, { recursive: true });
    rmSync(join(copy, 'step_000004', 'manifest.json'));
    const r = await runCli(['ckpt', 'merge', copy, '--out', join(tmp.dir, 'cut.pt'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ step: 2 });
  });

  it('accepts a trainbench run directory (its checkpoints/ folder) and a single step directory', async () => {
    const runDir = join(tmp.dir, 'run');
    cpSync(ckpt, join(runDir, 'checkpoints'), { recursive: true });
    const r = await runCli(['ckpt', 'merge', runDir, '--out', join(tmp.dir, 'run.pt'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ step: 4, source: join(runDir, 'checkpoints', 'step_000004') });
    const one = await runCli(['ckpt', 'merge', join(ckpt, 'step_000002'), '--out', join(tmp.dir, 'one.pt'), '--json']);
    expect(one.code, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({ step: 2 });
  });

  it('refuses (exit 4) when the replicas disagree, naming the rank', async () => {
    const copy = join(tmp.dir, 'diverged');
    cpSync(ckpt, copy, { recursive: true });
    const shard = join(copy, 'step_000004', 'rank_00001.pt');
    const tamper = `import sys, torch
s = torch.load(sys.argv[1], map_location="cpu")
k = sorted(s["model"])[0]
s["model"][k] = s["model"][k] + 1
torch.save(s, sys.argv[1])`;
    expect(spawnSync(PYTHON, ['-c', tamper, shard]).status).toBe(0);
    const r = await runCli(['ckpt', 'merge', copy, '--out', join(tmp.dir, 'x.pt')]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('differ from rank_00000.pt in rank_00001.pt');
  });

  const layouts: [string, string[], RegExp][] = [
    ['nnscaler', ['0000-0010/0.ckpt', '0000-0010/1.ckpt'], /nnScaler checkpoint.*ckpt_merger\.py/],
    ['deepspeed', ['latest', 'global_step10/mp_rank_00_model_states.pt', 'global_step10/zero_pp_rank_0_mp_rank_00_optim_states.pt'], /DeepSpeed checkpoint.*zero_to_fp32\.py/],
    ['megatron', ['latest_checkpointed_iteration.txt', 'iter_0000010/mp_rank_00/model_optim_rng.pt'], /Megatron-LM checkpoint.*convert\.py/],
    ['empty', [], /no checkpoint found .*found: nothing/],
  ];
  for (const [name, files, message] of layouts) {
    it(`names a layout it cannot merge (${name}) and exits 4`, async () => {
      const dir = join(tmp.dir, name);
      mkdirSync(dir, { recursive: true });
      for (const f of files) {
        mkdirSync(join(dir, f, '..'), { recursive: true });
        writeFileSync(join(dir, f), '');
      }
      const r = await runCli(['ckpt', 'merge', dir, '--out', join(tmp.dir, `${name}.pt`)]);
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(message);
    });
  }

  it('says in its help that DDP replicas are merged by taking rank 0 and checking checksums', async () => {
    const r = await runCli(['ckpt', 'merge', '--help']);
    expect(r.stdout).toContain('replicated model state');
    expect(r.stdout).toContain('optimizer.rank_N');
  });
});
