// The parallel reader (worker threads, byte-level step rows) against the plain reader on the same files: every real
// fixture and generated NeMo 2 / workload logs full of awkward lines, cut into tiny pieces so that piece boundaries
// fall everywhere. The whole ParsedLog must be the same, down to line numbers, warnings and key order.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseFile } from './parse-file.ts';
import type { ParseFileOptions } from './parse-file.ts';
import { parseParallel } from './parallel.ts';
import { awkwardLog } from './__tests__/awkward-log.ts';

const dir = mkdtempSync(join(tmpdir(), 'tb-parallel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const root = join(import.meta.dirname, '../../../fixtures/logs');

/** Both readers on one file; the parallel one must take it (not fall back) and give the same result. */
async function same(path: string, options: ParseFileOptions & { pieceBytes: number; headLines: number; chunkBytes?: number }) {
  const { pieceBytes, chunkBytes, ...rest } = options;
  const plain = await parseFile(path, { ...rest, parallel: false });
  const forced = rest.format === undefined ? undefined : (await import('./parse-file.ts')).resolveFormat(rest.format);
  const fast = await parseParallel({
    path, forced, headMax: rest.headLines, tailMax: rest.tailLines ?? 200, pieceBytes, minBytes: 0, workers: 2, ...(chunkBytes ? { chunkBytes } : {}),
    sinkOptions: rest.maxSteps === undefined ? {} : { maxSteps: rest.maxSteps },
  });
  return { plain, fast };
}

describe('parallel reader = plain reader', () => {
  const fixtures = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(root, d.name)).map((f) => join(root, d.name, f)));
  it.each(fixtures)('fixture %s', async (path) => {
    const { plain, fast } = await same(path, { pieceBytes: 997, headLines: 3 });
    // Formats recognised in 3 lines with needles are read in parallel; the rest fall back (undefined), as designed.
    if (fast === undefined) return;
    expect(JSON.stringify(fast)).toBe(JSON.stringify(plain));
    expect(fast).toStrictEqual(plain);
  });

  it('a real NeMo 2 log is read in parallel', async () => {
    const { plain, fast } = await same(join(root, 'nemo2/bionemo-esm2-pr740.log'), { pieceBytes: 300, headLines: 2 });
    expect(fast).toBeDefined();
    expect(plain.output.steps.length).toBeGreaterThan(3);
    expect(fast).toStrictEqual(plain);
  });

  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`generated awkward log, seed ${seed}`, async () => {
      const path = join(dir, `awkward-${seed}.log`);
      const log = awkwardLog(seed, 3000, { events: seed % 2 === 0 });
      writeFileSync(path, log);
      const pieces = [61, 503, 40960][seed % 3]!;
      for (const maxSteps of [undefined, 40]) {
        // Reads of 97 bytes inside 40 KB pieces: lines cut by a read are carried over.
        const options = { pieceBytes: pieces, chunkBytes: 97, headLines: 1 + seed * 7, ...(maxSteps ? { maxSteps } : {}), ...(seed === 5 ? { format: 'nemo2' } : {}) };
        const { plain, fast } = await same(path, options);
        expect(fast).toBeDefined();
        expect(plain.output.steps.length).toBeGreaterThan(100);
        expect(JSON.stringify(fast)).toBe(JSON.stringify(plain));
        expect(fast).toStrictEqual(plain);
      }
    });
  }

  it('parseFile takes the parallel reader by itself on a file past 32 MB, with the same result', async () => {
    const path = join(dir, 'big.log');
    const block = `${awkwardLog(31, 4000, { events: false })}\n`;
    writeFileSync(path, block.repeat(Math.ceil(33e6 / block.length)));
    const plain = await parseFile(path, { parallel: false });
    const fast = await parseParallel({ path, forced: undefined, headMax: 2000, tailMax: 200, sinkOptions: {} });
    expect(fast).toBeDefined();
    expect(await parseFile(path)).toStrictEqual(plain);
    expect(fast).toStrictEqual(plain);
  });

  it('falls back to the plain reader for a line longer than the cap, with the same result', async () => {
    const path = join(dir, 'long-line.log');
    const log = awkwardLog(9, 400, { events: false });
    writeFileSync(path, `${log}\n${'x'.repeat((1 << 20) + 5)}\n${log}`);
    const { plain, fast } = await same(path, { pieceBytes: 4096, headLines: 10 });
    expect(fast).toBeUndefined();
    expect(await parseFile(path, { parallel: { minBytes: 0, pieceBytes: 4096 }, headLines: 10 })).toStrictEqual(plain);
  });
});
