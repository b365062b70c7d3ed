import { describe, expect, it } from 'vitest';
import { runCli } from '../__tests__/run-cli.ts';

describe('trainbench recipes', () => {
  it('filters and prints a table', async () => {
    const r = await runCli(['recipes', '--model', 'llama3-8b', '--task', 'sft', '--dtype', 'fp8']);
    expect(r.code).toBe(0);
    const ids = r.stdout.split('\n').slice(2).map((l) => l.split(' ')[0]).filter((s) => s && !/^\d/.test(s));
    expect(ids).toEqual(['llama3-8b-sft-fp8-8gpu', 'llama3-8b-sft-fp8-16gpu', 'llama3-8b-sft-fp8-32gpu']);
    expect(r.stdout).toContain('1/1/1/NA/8/NA');
    expect(r.stdout).toContain('39.16%');
  });

  it('--json gives the records with the printed figures', async () => {
    const r = await runCli(['recipes', '--gpus', '2048', '--engine', 'nemo1', '--json']);
    const list = JSON.parse(r.stdout) as { id: string; gbs: number; baseline: { step_time_s: string } }[];
    expect(list.map((x) => x.id)).toEqual([
      'gpt3-175b-pretrain-bf16-2048gpu',
      'gpt3-175b-pretrain-fp8-2048gpu',
      'llama3.1-70b-pretrain-bf16-2048gpu',
      'llama3.1-70b-pretrain-fp8-2048gpu',
    ]);
    expect(list.every((x) => x.gbs === 4096)).toBe(true);
    expect(list[2]!.baseline.step_time_s).toBe('14.98');
  });

  it('unknown model: did-you-mean and exit 2; bad choice: exit 2', async () => {
    const r = await runCli(['recipes', '--model', 'llama3.1-7b']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("did you mean 'llama3.1-70b'");
    expect((await runCli(['recipes', '--task', 'finetune'])).code).toBe(2);
    expect((await runCli(['recipes', '--gpus', '-8'])).code).toBe(2);
  });
});
