// Option parsers shared by commands: numbers are validated once, at the edge, with a message naming the flag.
import { usageError } from '../core/errors.ts';

export function positiveNumber(flag: string) {
  return (raw: string): number => {
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value) || value <= 0) {
      throw usageError(`${flag} must be a positive number, got '${raw}'`, {
        code: 'invalid-number',
        hint: `pass a number greater than zero, e.g. ${flag} 8`,
      });
    }
    return value;
  };
}

export function positiveInteger(flag: string) {
  return (raw: string): number => {
    const value = positiveNumber(flag)(raw);
    if (!Number.isInteger(value)) {
      throw usageError(`${flag} must be a whole number, got '${raw}'`, { code: 'invalid-integer' });
    }
    return value;
  };
}

export function nonNegativeInteger(flag: string) {
  return (raw: string): number => {
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isInteger(value) || value < 0) {
      throw usageError(`${flag} must be a whole number >= 0, got '${raw}'`, { code: 'invalid-integer' });
    }
    return value;
  };
}
