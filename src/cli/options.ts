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

/** --utc-offset: a machine's local time minus UTC, in hours (dmon -o DT and vmstat -t print local time). */
export function utcOffset(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < -12 || value > 14) {
    throw usageError(`--utc-offset must be hours between -12 and 14, got '${raw}'`, {
      code: 'invalid-utc-offset',
      hint: 'pass the nodes\' local offset from UTC, e.g. --utc-offset 2 for CEST or --utc-offset -5 for EST',
    });
  }
  return value;
}
