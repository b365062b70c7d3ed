import { describe, expect, it } from 'vitest';
import { newRunId } from './ids.ts';

describe('newRunId', () => {
  it('sorts by creation time, also within one millisecond', () => {
    const ids = [newRunId(1_700_000_000_000), newRunId(1_700_000_000_000), newRunId(1_700_000_000_001), newRunId(1_700_000_000_001)];
    expect(ids.every((id) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(4);
    expect(ids[0]!.slice(0, 10)).toBe('01HF7YAT00') // 1700000000000 ms in Crockford base32, as the ULID spec encodes it;
  });
});
