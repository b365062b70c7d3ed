// Property tests: random bytes and mutated real fixture lines fed to every parser. No exception escapes, line
// counts add up, step times are finite and > 0, and the rest of the contract holds (checkOutput).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkOutput } from './parser.contract.ts';
import { parsers } from './registry.ts';
import type { LogParser } from './types.ts';

const root = join(import.meta.dirname, '../../../fixtures/logs');
const fixtureLines: string[] = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(join(root, d.name)).flatMap((f) => readFileSync(join(root, d.name, f), 'utf8').split('\n')))
  .filter((l) => l.trim() !== '');

function feed(parser: LogParser, lines: readonly string[]): string[] {
  const sink = parser.create();
  for (const l of lines) sink.push(l);
  return checkOutput(parser, sink.end(), lines.length);
}

// Mutations that real logs suffer: cut lines, glued lines, stray CRs, odd numbers, lost separators.
const hostileNumber = fc.constantFrom('nan', '-inf', 'inf', '-1', '0', '0.0000', '1e999', '-2e+3', '1,2,3', '', '.', '9'.repeat(400));
const mutatedLine = fc
  .tuple(fc.constantFrom(...fixtureLines), fc.nat(), fc.nat(), hostileNumber, fc.string({ unit: 'binary', maxLength: 8 }), fc.nat(5))
  .map(([line, a, b, n, junk, op]) => {
    const i = a % (line.length + 1);
    const j = b % (line.length + 1);
    switch (op) {
      case 0: return line.slice(0, i);
      case 1: return line.replace(/-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/g, (m) => (a % 2 ? n : m));
      case 2: return line.slice(0, i) + junk + line.slice(i);
      case 3: return line.slice(0, Math.min(i, j)) + '\r' + line.slice(Math.max(i, j));
      case 4: return line + line.slice(j);
      default: return line.replace(/\s+\|\s+|, /g, (m) => (a % 3 === 0 ? '' : m));
    }
  });

describe('parsers under fuzzing', () => {
  it('random binary lines', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 300 }), { maxLength: 30 }), (lines) => {
        for (const p of parsers) expect(feed(p, lines)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
  it('random bytes decoded as UTF-8', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const lines = Buffer.from(bytes).toString('utf8').split('\n');
        for (const p of parsers) expect(feed(p, lines)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
  it('mutated real fixture lines', () => {
    fc.assert(
      fc.property(fc.array(mutatedLine, { minLength: 1, maxLength: 40 }), (lines) => {
        for (const p of parsers) expect(feed(p, lines)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
