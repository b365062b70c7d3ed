import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { measuredCpuPeak } from './cpu-peak.ts';

const home = mkdtempSync(join(tmpdir(), 'tb-peak-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('measured CPU peak', () => {
  it('measures a real bf16 matmul rate once, then serves it from the cache with its method', () => {
    const first = measuredCpuPeak(home, 'bf16', 1);
    expect(first.cached).toBe(false);
    expect(first.flopsPerRank).toBeGreaterThan(1e8);
    expect(first.method).toMatch(/best of 8 1024x1024 bf16 matmuls on 1 thread/);
    const second = measuredCpuPeak(home, 'bf16', 1);
    expect(second.cached).toBe(true);
    expect(second.flopsPerRank).toBe(first.flopsPerRank);
  });
});
