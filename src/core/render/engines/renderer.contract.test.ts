// The contract every engine renderer passes: pure (same input, same output), scripts that parse (`bash -n`) and
// pass shellcheck, no secret written, and no user value ever executed by the shell when the script runs.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderers } from './index.ts';
import { baskerville, dgxCloud, hostile, seedLike } from './fixtures.test-data.ts';
import type { LaunchInput } from './types.ts';

const work = mkdtempSync(join(tmpdir(), 'tb-render-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const hasShellcheck = spawnSync('shellcheck', ['--version']).status === 0;

const inputFor: Record<string, LaunchInput> = {
  nemo1: seedLike.gpt175b!,
  nemo2: seedLike.llama8bLora!,
  megatron: seedLike.llama70b!,
  llamafactory: seedLike.baskerville70b!,
  nnscaler: { ...seedLike.llama8bLora!, task: 'pretrain', seqLen: 131072, numGpus: 8, gbs: 4 },
  torchtitan: seedLike.llama70b!,
  workload: { ...seedLike.llama8bLora!, numGpus: 2 },
};

// Stand-ins for the cluster commands a script calls, so it can run to the end here: each prints its argv one per
// line. They exist to observe quoting, not to pretend to schedule anything.
function stubBin(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  for (const cmd of ['srun', 'scontrol', 'module', 'python3', 'nvidia-smi', 'stdbuf', 'vmstat', 'tee', 'pip', 'accelerate']) {
    writeFileSync(join(bin, cmd), '#!/bin/bash\nfor a in "$@"; do printf "ARG<%s>\\n" "$a"; done\n');
    chmodSync(join(bin, cmd), 0o755);
  }
  return bin;
}

for (const [engine, renderer] of Object.entries(renderers)) {
  describe(`renderer contract: ${engine}`, () => {
    const cluster = engine === 'llamafactory' ? baskerville : dgxCloud;
    const input = inputFor[engine]!;

    it('is pure: the same input renders the same files', () => {
      expect(renderer.render(input, cluster)).toEqual(renderer.render(input, cluster));
    });

    it('renders scripts that bash parses and shellcheck accepts', () => {
      for (const file of renderer.render(input, cluster).files.filter((f) => f.executable)) {
        const path = join(work, `${engine}-${file.path}`);
        writeFileSync(path, file.content);
        const parse = spawnSync('bash', ['-n', path], { encoding: 'utf8' });
        expect(parse.stderr, file.path).toBe('');
        if (hasShellcheck) {
          const lint = spawnSync('shellcheck', ['-S', 'warning', path], { encoding: 'utf8' });
          expect(lint.stdout, file.path).toBe('');
        }
      }
    });

    it('never writes a secret value and refuses secret-looking env names', () => {
      const rendered = JSON.stringify(renderer.render(input, cluster));
      expect(rendered).not.toMatch(/hf_[A-Za-z0-9]{10,}/);
      expect(() => renderer.render(input, { ...cluster, env: { HF_TOKEN: 'hf_abcdefghijklmnop' } })).toThrow(/secret/);
    });

    it('executes no user value: names with $(), backticks, ; quotes and newlines stay data', () => {
      const dir = mkdtempSync(join(work, `${engine}-inj-`));
      const sentinel = join(dir, 'pwned');
      // The stage path exists here so that every script runs through to its launch line.
      const stage = join(dir, 'stage');
      for (const sub of ['llama-factory/LLaMA-Factory', 'nnscaler/examples/llama3_8B_128K', 'torchtitan']) mkdirSync(join(stage, sub), { recursive: true });
      const rendered = renderer.render(hostile(input, sentinel), { ...cluster, stage_path: stage });
      const bin = stubBin(dir);
      for (const file of rendered.files.filter((f) => f.executable)) {
        const path = join(dir, file.path);
        writeFileSync(path, file.content);
        const parse = spawnSync('bash', ['-n', path], { encoding: 'utf8' });
        expect(parse.stderr, file.path).toBe('');
        const run = spawnSync('bash', [path], {
          cwd: dir,
          encoding: 'utf8',
          timeout: 20_000,
          env: { PATH: `${bin}:/usr/bin:/bin`, SLURM_JOB_NODELIST: 'node1', SLURM_JOB_ID: '1', SLURM_JOB_NUM_NODES: '1', SLURM_PROCID: '0', SLURM_NTASKS: '1', SLURM_LOCALID: '0', HF_TOKEN: 'x', HOME: dir },
        });
        expect(run.stdout, `${file.path} did not reach its launch line (status ${run.status}, ${String(run.error)}): ${run.stderr}`).toContain('ARG<');
      }
      expect(existsSync(sentinel)).toBe(false);
    });
  });
}
