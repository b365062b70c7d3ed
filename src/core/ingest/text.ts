// Text clean-up shared by every parser: terminal escapes, rank prefixes, progress-bar redraws, numbers.

// CSI/OSC escape sequences; the `[A`-style remnants whose ESC was lost are harmless to the field regexes.
const ANSI = /\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;
// Control characters other than tab and CR (binary garbage, NULs, backspaces).
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;
// `0: ` (srun --label), `[rank3]:` / `[default0]:` (torchrun --tee/--role), possibly combined.
const RANK_PREFIX = /^\s*(?:(\d{1,6}): |\[(?:rank|default)(\d{1,6})\]:)/;

/** Longest segment a parser looks at; longer ones are cut so no regex sees megabytes. */
export const MAX_SEGMENT = 16_384;

export interface Segment {
  text: string;
  rank: number | undefined;
}

/**
 * Calls `fn` for each screen state one physical line holds: tqdm redraws are separated by CR, and logs pasted from
 * terminals carry the literal two-character text `^M` instead. Escapes, control bytes and rank prefixes are removed.
 * Callback style because this runs once per line of multi-GB logs: the common plain line allocates nothing extra.
 */
export function forEachSegment(line: string, fn: (text: string, rank: number | undefined) => void): void {
  let clean = line.length > 64 * MAX_SEGMENT ? line.slice(0, 64 * MAX_SEGMENT) : line;
  if (clean.includes('\x1b')) clean = clean.replace(ANSI, '');
  // Control bytes (binary garbage) only matter inside a line we could parse; a full regex scan of every line of a
  // multi-GB log costs more than the parse, so only the bytes garbage always brings (NUL, BS) trigger the cleanup.
  if ((clean.includes('\x00') || clean.includes('\b')) && CONTROL_TEST.test(clean)) clean = clean.replace(CONTROL, '');
  if (!clean.includes('\r') && !clean.includes('^M')) {
    emitSegment(clean, fn);
    return;
  }
  for (const raw of clean.split(/\r|\^M/)) emitSegment(raw, fn);
}

const CONTROL_TEST = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;

function emitSegment(raw: string, fn: (text: string, rank: number | undefined) => void): void {
  let text = raw.length > MAX_SEGMENT ? raw.slice(0, MAX_SEGMENT) : raw;
  let rank: number | undefined;
  const c = text.charCodeAt(0);
  // Only lines starting with a digit, a space or `[` can carry a rank prefix.
  if ((c >= 48 && c <= 57) || c === 32 || c === 91) {
    for (let i = 0; i < 2; i++) {
      const m = RANK_PREFIX.exec(text);
      if (!m) break;
      rank ??= Number(m[1] ?? m[2]);
      text = text.slice(m[0].length);
    }
  }
  // A printable ASCII first character is not blank: the regex only for the rest.
  const f = text.charCodeAt(0);
  if ((f > 32 && f < 127) || (text.length > 0 && !/^\s*$/.test(text))) fn(text, rank);
}

/** The segments of one physical line as an array (see forEachSegment). */
export function segments(line: string): Segment[] {
  const out: Segment[] = [];
  forEachSegment(line, (text, rank) => out.push({ text, rank }));
  return out;
}

/** A printed number: thousands separators, `2e+3`, padding allowed; undefined when empty or not a number. */
export function num(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  // Fast path: Number() trims whitespace itself; only '' and odd forms need the slow path.
  const fast = Number(raw);
  if (!Number.isNaN(fast) && raw.trim() !== '') return fast;
  const t = raw.trim().replace(/,/g, '').replace(/^'|'$/g, '');
  if (t === '') return undefined;
  if (/^[-+]?(nan|inf|infinity)$/i.test(t)) return Number.NaN;
  const v = Number(t);
  return Number.isNaN(v) ? undefined : v;
}

/** True when a printed value is nan/inf (a diverged loss). */
export function isNonFinite(raw: string | undefined): boolean {
  return raw !== undefined && /^\s*'?[-+]?(nan|inf|infinity)'?\s*$/i.test(raw);
}

const STAMP = /(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?/;

/** `YYYY-MM-DD HH:MM:SS[,.fff]` anywhere in the text -> Unix seconds (UTC assumed: logs rarely state a zone). */
export function timestamp(text: string): number | undefined {
  const m = STAMP.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (!Number.isFinite(ms)) return undefined;
  return ms / 1000 + (frac ? Number(`0.${frac}`) : 0);
}

/** `H:MM:SS`, `MM:SS`, `1 day, 2:03:04`, `0:16:08.44` -> seconds. */
export function duration(text: string): number | undefined {
  const m = /^\s*(?:(\d+) days?, )?(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)\s*$/.exec(text);
  if (!m) return undefined;
  const [, days, h, mi, s] = m;
  return Number(days ?? 0) * 86400 + Number(h ?? 0) * 3600 + Number(mi) * 60 + Number(s);
}

/** `| key: value |` or `key=value, ` pairs -> map (keys trimmed, values raw). */
export function pairs(text: string, sep: RegExp, kv: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const piece of text.split(sep)) {
    const i = piece.lastIndexOf(kv);
    if (i <= 0) continue;
    out.set(piece.slice(0, i).trim(), piece.slice(i + kv.length).trim());
  }
  return out;
}

/** Unit conversion without binary noise: 12104.3 ms -> 12.1043 s, not 12.104299999999999. */
export function scaled(value: number | undefined, factor: number): number | undefined {
  return value === undefined ? undefined : Number((value * factor).toPrecision(12));
}
