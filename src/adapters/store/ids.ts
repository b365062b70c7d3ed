// Run ids sort by creation time (ULID layout: 48-bit milliseconds + 80 random bits, Crockford base32), so the newest
// runs are found by id order and an id prefix narrows to a time window.
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

let lastMs = -1;
let lastRandom: number[] = [];

function encodeTime(ms: number): string {
  let out = '';
  for (let i = 0, rest = ms; i < 10; i++, rest = Math.floor(rest / 32)) out = ALPHABET[rest % 32]! + out;
  return out;
}

/** Monotonic within one process: two ids in the same millisecond still sort in creation order. */
export function newRunId(now: number = Date.now()): string {
  if (now <= lastMs) {
    // Same millisecond (or the clock stepped back): increment the random part instead of drawing a new one.
    for (let i = lastRandom.length - 1; i >= 0; i--) {
      lastRandom[i] = (lastRandom[i]! + 1) % 32;
      if (lastRandom[i] !== 0) break;
    }
  } else {
    lastMs = now;
    lastRandom = [...randomBytes(16)].map((b) => b % 32);
  }
  return encodeTime(lastMs) + lastRandom.map((d) => ALPHABET[d]!).join('');
}
