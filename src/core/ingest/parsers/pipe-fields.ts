// One left-to-right pass over `key: value | key: value` text for a fixed set of keys. NeMo 2 lines are most of a
// multi-GB log, so the hot path (scanPipeSpans) slices nothing: each piece's key is found by its `: ` and looked up
// by length, and the value's bounds are recorded for a number parser that reads the text in place.
import { num } from '../text.ts';

/** Values of `keys` in `text` from `from` on, in the order of `keys`; undefined where absent. */
export function scanPipeFields(text: string, keys: readonly string[], from = 0): (string | undefined)[] {
  const table = keyTable(keys);
  const starts = new Int32Array(keys.length);
  const ends = new Int32Array(keys.length);
  scanPipeSpans(text, table, from, starts, ends);
  const out: (string | undefined)[] = new Array<string | undefined>(keys.length);
  for (let k = 0; k < keys.length; k++) out[k] = starts[k]! < 0 ? undefined : text.slice(starts[k], ends[k]);
  return out;
}

/** Keys grouped by length (index = length): the candidates a piece's key can be. */
export type KeyTable = { keys: readonly string[]; byLength: (number[] | undefined)[] };

const tables = new WeakMap<readonly string[], KeyTable>();

export function keyTable(keys: readonly string[]): KeyTable {
  let t = tables.get(keys);
  if (t) return t;
  const byLength: (number[] | undefined)[] = [];
  keys.forEach((key, k) => (byLength[key.length] ??= []).push(k));
  t = { keys, byLength };
  tables.set(keys, t);
  return t;
}

/**
 * Records where each key's value starts and ends in `starts`/`ends` (start -1 when absent, its end then left as it
 * was; the first occurrence wins). A key matches a piece (text between ` |` separators, leading spaces and `|`
 * skipped) that starts with it followed by `: `; keys never contain `: `, so the piece's first `: ` ends its key.
 */
export function scanPipeSpans(text: string, table: KeyTable, from: number, starts: Int32Array, ends: Int32Array): void {
  starts.fill(-1);
  const { keys, byLength } = table;
  const n = text.length;
  let pos = from;
  while (pos < n) {
    let c = text.charCodeAt(pos);
    while (c === 32 || c === 124) c = text.charCodeAt(++pos); // spaces and `|`
    const next = text.indexOf(' |', pos);
    const end = next < 0 ? n : next;
    // The key ends at the piece's first `: ` (keys never contain one).
    const colon = text.indexOf(': ', pos);
    if (colon >= 0 && colon < end) {
      const candidates = byLength[colon - pos];
      if (candidates !== undefined) {
        for (const k of candidates) {
          if (starts[k]! < 0 && text.startsWith(keys[k]!, pos)) {
            starts[k] = colon + 2;
            ends[k] = end;
            break;
          }
        }
      }
    }
    if (next < 0) break;
    pos = next + 2;
  }
}

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * num() of text[start, end) without slicing it: plain decimals (`-12.5`, up to 15 digits) are read in place, exactly
 * as Number() would (an integer below 2^53 divided by an exact power of ten is correctly rounded); anything else goes
 * to num(). undefined when start < 0 (absent).
 */
export function numAt(text: string, start: number, end: number): number | undefined {
  if (start < 0) return undefined;
  let i = start;
  let negative = false;
  if (text.charCodeAt(i) === 45) {
    negative = true;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let decimals = -1;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (decimals >= 0) decimals++;
    } else if (c === 46 && decimals < 0) decimals = 0;
    else break;
  }
  if (i === end && digits > 0 && digits <= 15 && decimals !== 0) {
    const v = decimals > 0 ? mantissa / POW10[decimals]! : mantissa;
    return negative ? -v : v;
  }
  return num(text.slice(start, end));
}
