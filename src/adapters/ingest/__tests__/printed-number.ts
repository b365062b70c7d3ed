// A number as a log prints it, every form a byte-level reader must read exactly as Number() does (or decline):
// String(double), toFixed, toExponential, and digit strings with an optional fraction and exponent.
import fc from 'fast-check';

export const printedNumber = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.double({ min: 0, max: 1e12, noNaN: true }).map(String),
    fc.double({ min: 0, max: 1e6, noNaN: true }).chain((d) => fc.integer({ min: 0, max: 12 }).map((k) => d.toFixed(k))),
    fc.double({ min: 1e-30, max: 1e30, noNaN: true }).chain((d) => fc.integer({ min: 0, max: 14 }).map((k) => d.toExponential(k))),
    fc.stringMatching(/^[0-9]{0,17}(\.[0-9]{0,17})?([eE][-+]?[0-9]{1,4})?$/),
  );
