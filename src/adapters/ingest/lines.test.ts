// The line reader against a reference split, on random content and random chunk sizes (multi-byte characters cut
// across chunks, CRLF, no final newline), with and without the needle sieve.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { forEachLine } from './lines.ts';

const dir = mkdtempSync(join(tmpdir(), 'tb-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const piece = fc.constantFrom('a', 'step', '\n', '\r\n', '\r', '█', 'é', '😀', ' ', 'x');

function reference(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

describe('forEachLine on random input', () => {
  it('matches a plain split, with and without the sieve', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 200 }), fc.integer({ min: 1, max: 64 }), async (parts, chunk) => {
        const text = parts.join('');
        const path = join(dir, `f${n++}.txt`);
        writeFileSync(path, text);
        const all: string[] = [];
        await forEachLine(path, (l) => all.push(l), { chunkBytes: chunk });
        expect(all).toEqual(reference(text));
        const hits: string[] = [];
        let skipped = 0;
        const stats = await forEachLine(path, (l) => hits.push(l), { chunkBytes: chunk, needles: () => ['step'], onSkip: (k) => (skipped += k) });
        // The sieve hands out whole lines with the needle; only a last line without a newline goes out regardless.
        expect(hits.filter((l) => !l.includes('step')).length).toBeLessThanOrEqual(text.endsWith('\n') ? 0 : 1);
        expect(reference(text).filter((l) => l.includes('step'))).toEqual(hits.filter((l) => l.includes('step')));
        expect(stats.lines).toBe(reference(text).length);
        expect(skipped + hits.length).toBe(stats.lines);
      }),
      { numRuns: 150 },
    );
  });
});

describe('the sieve searches a probe (part of the needle) and checks the line', () => {
  it('hands out exactly the lines with the needle, not those with only the probe', async () => {
    const parts = fc.constantFrom('x', '\n', 'a_step', '_step', 'b_ste', ' ', 'é', 'Training', 'Training epoch');
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(parts, { maxLength: 120 }), fc.integer({ min: 1, max: 48 }), async (ps, chunk) => {
        const text = `${ps.join('')}\n`;
        const path = join(dir, `p${n++}.txt`);
        writeFileSync(path, text);
        const hits: string[] = [];
        let skipped = 0;
        const needles = ['a_step', 'Training epoch'];
        const stats = await forEachLine(path, (l) => hits.push(l), { chunkBytes: chunk, needles: () => needles, onSkip: (k) => (skipped += k) });
        expect(hits).toEqual(reference(text).filter((l) => needles.some((x) => l.includes(x))));
        expect(skipped + hits.length).toBe(stats.lines);
      }),
      { numRuns: 150 },
    );
  });
});
