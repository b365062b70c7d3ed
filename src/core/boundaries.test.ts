import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain .mjs script without type declarations
import { findViolations } from '../../scripts/check-boundaries.mjs';

describe('architecture', () => {
  it('keeps src/core pure: no I/O modules, no imports from adapters or cli', () => {
    expect(findViolations()).toEqual([]);
  });
});
