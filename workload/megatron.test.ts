// Megatron-LM indexed datasets (.idx/.bin) written byte by byte here, per the layout in workload/README.md:
// the reader returns the concatenated documents in seq_len+1 windows, a run trains on them, and a corrupt
// index fails with exit 4 naming the file.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PYTHON, TINY, describeFailure, events, runRanks, stepLosses, tempDir, writeConfig } from './__tests__/harness.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

interface IndexParts {
  magic?: Buffer;
  version?: bigint;
  dtypeCode?: number;
  sizes: number[];
  pointers: bigint[];
  docIdx: bigint[];
}

function indexBytes(p: IndexParts): Buffer {
  const head = Buffer.alloc(9 + 8 + 1 + 8 + 8);
  (p.magic ?? Buffer.from('MMIDIDX\x00\x00', 'latin1')).copy(head, 0);
  head.writeBigUInt64LE(p.version ?? 1n, 9);
  head.writeUInt8(p.dtypeCode ?? 8, 17);
  head.writeBigUInt64LE(BigInt(p.sizes.length), 18);
  head.writeBigUInt64LE(BigInt(p.docIdx.length), 26);
  const sizes = Buffer.alloc(4 * p.sizes.length);
  p.sizes.forEach((s, i) => sizes.writeInt32LE(s, 4 * i));
  const ptrs = Buffer.alloc(8 * p.pointers.length);
  p.pointers.forEach((s, i) => ptrs.writeBigInt64LE(s, 8 * i));
  const docs = Buffer.alloc(8 * p.docIdx.length);
  p.docIdx.forEach((s, i) => docs.writeBigInt64LE(s, 8 * i));
  return Buffer.concat([head, sizes, ptrs, docs]);
}

// Three documents of uint16 tokens (dtype code 8) with a learnable pattern, vocab 512.
const DOCS = [120, 57, 300].map((n, d) => Array.from({ length: n }, (_, i) => (d * 7 + i * (d + 1)) % 64));
const ALL = DOCS.flat();

function writeDataset(name: string, mutate?: (p: IndexParts) => void): string {
  const prefix = join(tmp.dir, name);
  const bin = Buffer.alloc(2 * ALL.length);
  ALL.forEach((t, i) => bin.writeUInt16LE(t, 2 * i));
  writeFileSync(prefix + '.bin', bin);
  const pointers: bigint[] = [];
  let off = 0n;
  for (const d of DOCS) {
    pointers.push(off);
    off += BigInt(2 * d.length);
  }
  const parts: IndexParts = { sizes: DOCS.map((d) => d.length), pointers, docIdx: [0n, 1n, 2n, 3n] };
  mutate?.(parts);
  writeFileSync(prefix + '.idx', indexBytes(parts));
  return prefix;
}

describe('workload megatron data', () => {
  it('reads the concatenated documents in overlapping seq_len+1 windows', () => {
    const prefix = writeDataset('read');
    const seq = 32;
    const script = `
import json, sys
sys.path.insert(0, ${JSON.stringify(resolve(import.meta.dirname))})
from trainbench_workload.data import MegatronData
d = MegatronData(${JSON.stringify(prefix)}, 1234, ${seq}, 512)
samples = [d.sample(i).tolist() for i in range(d.windows)]
print(json.dumps({"windows": d.windows, "perm": [int(x) for x in d._perm], "samples": samples}))`;
    const r = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as { windows: number; perm: number[]; samples: number[][] };
    expect(got.windows).toBe(Math.floor((ALL.length - 1) / seq));
    expect([...got.perm].sort((a, b) => a - b)).toEqual([...Array(got.windows).keys()]);
    got.samples.forEach((sample, i) => {
      const w = got.perm[i]!;
      expect(sample).toEqual(ALL.slice(w * seq, w * seq + seq + 1));
    });
  });

  it('trains on the dataset over 2 ranks', async () => {
    const prefix = writeDataset('train');
    const cfg = { ...TINY, steps: 8, data: { kind: 'megatron', prefix } };
    const r = await runRanks({ world: 2, configPath: writeConfig(tmp.dir, cfg) });
    expect(r.map((x) => x.code), describeFailure(r)).toEqual([0, 0]);
    const losses = [...stepLosses(r[0]!.stdout).values()];
    expect(losses).toHaveLength(8);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
  });

  const corrupt: [string, (p: IndexParts) => void, RegExp][] = [
    ['a bad magic', (p) => (p.magic = Buffer.from('NOTANIDX\x00', 'latin1')), /bad magic/],
    ['an unknown dtype code', (p) => (p.dtypeCode = 42), /unknown dtype code 42/],
    ['a pointer past the end of the .bin', (p) => (p.pointers[2] = 10_000n), /sequence 2 ends at byte \d+ but the \.bin file is \d+ bytes/],
    // The header then claims 4 sequences while the pointer array holds 3: the file is 8 bytes short.
    ['a truncated index', (p) => p.sizes.push(5), /4 sequences and 4 documents need \d+/],
  ];
  for (const [what, mutate, message] of corrupt) {
    it(`exits 4 naming the .idx file for ${what}`, async () => {
      const prefix = writeDataset('bad', mutate);
      const [r] = await runRanks({ world: 1, sets: [`data={"kind":"megatron","prefix":"${prefix}"}`] });
      expect(r!.code).toBe(4);
      expect(r!.stderr).toContain(`invalid Megatron index file ${prefix}.idx`);
      expect(r!.stderr).toMatch(message);
      expect(events(r!.stdout).at(-1)).toMatchObject({ event: 'error', type: 'DataError', exit_code: 4 });
    });
  }

  it('exits 4 naming the .bin file when it is missing', async () => {
    const [r] = await runRanks({ world: 1, sets: [`data={"kind":"megatron","prefix":"${join(tmp.dir, 'nope')}"}`] });
    expect(r!.code).toBe(4);
    expect(r!.stderr).toContain(join(tmp.dir, 'nope.bin'));
  });
});
