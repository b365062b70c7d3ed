import { describe, expect, it } from 'vitest';
import { runCli } from '../__tests__/run-cli.ts';

describe('trainbench flops', () => {
  it('prints the seed 001 breakdown for GPT-3 175B at its default seq', async () => {
    const r = await runCli(['flops', '--model', 'gpt3-175b']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('376,883,380,224');
    expect(r.stdout).toContain('695,784,701,952');
    expect(r.stdout).toContain('3,774,873,600');
    expect(r.stdout).toContain('2.20E+15');
  });

  it('--json with --seq: seed 002 numbers for Llama 3.1 70B', async () => {
    const r = await runCli(['flops', '--model', 'llama3.1-70b', '--seq', '8192', '--json']);
    const doc = JSON.parse(r.stdout);
    expect(doc.formula).toBe('llama');
    expect(doc.per_token).toMatchObject({ attention: 136902082560, mlp: 338228674560, embedding: 6304038912 });
    expect(doc.total_per_sample.toExponential(2)).toBe('3.94e+15');
  });

  it('bad input exits 2', async () => {
    expect((await runCli(['flops', '--model', 'llama3-8b', '--seq', 'abc'])).code).toBe(2);
    const r = await runCli(['flops', '--model', 'gpt-3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean');
    expect((await runCli(['flops'])).code).toBe(2);
  });
});
