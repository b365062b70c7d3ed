import { describe, expect, it } from 'vitest';
import { runCli } from '../__tests__/run-cli.ts';

describe('trainbench audit', () => {
  it('prints every check with its verdict and exits 0', async () => {
    const r = await runCli(['audit']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^SOURCE\s+SUBJECT\s+CHECK\s+PUBLISHED\s+COMPUTED\s+VERDICT/);
    expect(r.stdout).toMatch(/001_4c71b56154641285.txt\s+gpt3-175b-pretrain-bf16-128gpu\s+tokens\/s = seq_len \* gbs \/ step time\s+58843\s+58842.6\s+ok/);
    expect(r.stdout).toMatch(/\d+ checks: \d+ ok \(8 within input print precision\), 27 MISMATCH/);
    expect(r.stdout).toContain('ok*');
  });

  it('--strict exits 6 on mismatches; --json lists them', async () => {
    const r = await runCli(['audit', '--strict', '--mismatches', '--json']);
    expect(r.code).toBe(6);
    const doc = JSON.parse(r.stdout);
    expect(doc.summary.mismatches).toBe(27);
    expect(doc.rows).toHaveLength(27);
    expect(doc.rows[0]).toEqual(
      expect.objectContaining({ source: '000_d49eebe661754c19.txt', subject: 'llama3-8b @ seq 4096', published: '1.84E+14', computed: '2.108E+14', verdict: 'MISMATCH' }),
    );
    expect(Object.keys(doc.rows[0]).sort()).toEqual(['check', 'computed', 'detail', 'file', 'published', 'rule', 'source', 'subject', 'verdict']);
  });
});
