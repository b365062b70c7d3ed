// Every parser runs the same contract over every real fixture (its own must yield steps; the others must not crash
// it) and the hostile inputs.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runParserContract } from './parser.contract.ts';
import type { ContractFixture } from './parser.contract.ts';
import { parsers } from './registry.ts';

const root = join(import.meta.dirname, '../../../fixtures/logs');
// Fixture folder -> the parser that owns it ('failures' logs belong to nobody in particular).
const owner: Record<string, string> = {
  nemo1: 'nemo1', nemo2: 'nemo2', megatron: 'megatron', hf: 'hf', torchtitan: 'torchtitan', nanogpt: 'nanogpt',
  deepspeed: 'deepspeed',
};

function fixtures(): { dir: string; fx: ContractFixture }[] {
  const out: { dir: string; fx: ContractFixture }[] = [];
  for (const dir of readdirSync(root, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const name of readdirSync(join(root, dir.name))) {
      const text = readFileSync(join(root, dir.name, name), 'utf8');
      out.push({ dir: dir.name, fx: { name: `${dir.name}/${name}`, lines: text.replace(/\n$/, '').split('\n') } });
    }
  }
  return out;
}

describe('LogParser contract', () => {
  const all = fixtures();
  it('has fixtures for most parsers', () => {
    expect(all.length).toBeGreaterThan(20);
  });
  for (const parser of parsers) {
    it(`${parser.name} honours the contract on every fixture and hostile input`, () => {
      // The Megatron-DeepSpeed crash log in deepspeed/ is Megatron's own step format; the LLaMA-Factory end log
      // holds only the final metrics block.
      const mine = (dir: string, name: string) =>
        owner[dir] === parser.name && !name.includes('megatron-deepspeed') && !name.endsWith('-end.log');
      const fx = all.map(({ dir, fx }) => ({ ...fx, expectSteps: mine(dir, fx.name) }));
      expect(runParserContract(parser, fx)).toEqual([]);
    });
  }
});
