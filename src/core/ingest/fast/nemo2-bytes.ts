// NeMo 2 ProgressPrinter step lines (`Training epoch E, iteration I/N | key: value | ...`) read straight from the
// bytes into a numeric row, for the lines where that gives exactly what the text path (nemo2-fields.ts: fastHead,
// scanPipeSpans, numAt/num, the builder's checks) would record, and nothing it would warn about. Any other line
// (a sign, `nan`, a repeated odd key, a byte the text path cleans or splits at, ...) is declined: -1, and the caller
// hands it to the text parser. SELF-CONTAINED (no imports, no module-level references): workers run its source.

/** Row layout (ROW_STRIDE numbers, NaN = absent): index, step, epoch, step time, loss, lr, grad norm, consumed
 *  samples, peak memory, TFLOPS, tokens/s/GPU, total (-1: `?`), peak GiB, GBS. applyNemo2Row reads it. */
export type StepReader = ((b: Uint8Array, ls: number, n: number, rows: Float64Array, o: number, index: number) => number) & {
  /**
   * Where a reader has it: the step lines from ls on while they are read (the first declined one stops it), start
   * before limit and before open (the last line without its newline), at most room of them, into rows from o (line
   * indices index, index + 1, ...). Returns how many; `end` is then where the next line starts.
   */
  many?: (b: Uint8Array, ls: number, limit: number, open: number, rows: Float64Array, o: number, index: number, room: number) => number;
  end?: number;
};

/** What the WebAssembly reader (nemo2-wasm.ts) takes from this one: the keys in order and the STOP bytes. */
export interface Nemo2Tables {
  keys: string[];
  stop: Uint8Array;
}

export function makeNemo2StepReader(events: boolean): StepReader & { tables: Nemo2Tables } {
  const MAX_SEGMENT = 16384;
  const word = (s: string) => {
    const u = Uint8Array.from(s, (ch) => ch.charCodeAt(0) & 255);
    const dv = new DataView(u.buffer);
    return { u, w: Int32Array.from({ length: u.length >> 2 }, (_, k) => dv.getInt32(4 * k, true)) };
  };
  const PREFIX = word('Training epoch ');
  const ITER = word(', iteration ');
  // nemo2-fields.ts KEYS, same order.
  const KEY_NAMES = ['global_step', 'train_step_timing in s', 'reduced_train_loss', 'train_loss', 'loss', 'lr', 'grad_norm',
    'consumed_samples', 'peak_memory_usage', 'max_memory_reserved', 'max_memory_allocated', 'TFLOPS_per_GPU',
    'tokens_per_sec_per_gpu', 'peak_memory_gib', 'global_batch_size'];
  const KEYS = KEY_NAMES.map(word);
  const byFirst: number[][] = [];
  KEYS.forEach((k, i) => (byFirst[k.u[0]!] ??= []).push(i));
  const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
  const vals = new Float64Array(KEYS.length);
  // The key index each piece of the last step line had (-1: another key).
  const expected = new Int8Array(64).fill(-1);
  // Bytes that end an unknown key's piece or need a closer look there: `|`, LF, CR, and those that make the text
  // path clean or split a line's text, which send the line back to it: control bytes (NUL and BS trigger the
  // control-byte clean-up, CR splits redraws, ESC starts ANSI codes; the rest are declined alike), `^` (`^M`), and
  // for the workload `T` (TRAINBENCH_EVENT). Known keys, digits and separators hold none of them. Non-ASCII bytes
  // are harmless: they never form or break a ` |`, `: ` or digit.
  const STOP = new Uint8Array(256);
  for (let c = 0; c < 32; c++) STOP[c] = 1;
  STOP[124] = 1;
  STOP[94] = 1;
  if (events) STOP[84] = 1;
  const EVENT = Array.from('TRAINBENCH_EVENT', (ch) => ch.charCodeAt(0));
  let cur: Uint8Array | undefined;
  let dv: DataView = new DataView(new ArrayBuffer(8));
  let epoch = 0;
  let iteration = 0;
  let total = 0;
  let numEnd = 0;

  const eq = (b: Uint8Array, i: number, n: number, key: { u: Uint8Array; w: Int32Array }) => {
    if (i + key.u.length > n) return false;
    const w = key.w;
    for (let k = 0; k < w.length; k++) if (dv.getInt32(i + 4 * k, true) !== w[k]) return false;
    for (let k = w.length * 4; k < key.u.length; k++) if (b[i + k] !== key.u[k]) return false;
    return true;
  };
  /** 1 to 15 digits at i, their value into digitValue; the index after them, or -1. */
  let digitValue = 0;
  const digits = (b: Uint8Array, i: number) => {
    let v = 0;
    const from = i;
    for (let c = b[i]!; c >= 48 && c <= 57; c = b[++i]!) v = v * 10 + (c - 48);
    digitValue = v;
    return i === from || i - from > 15 ? -1 : i;
  };
  /**
   * The number at s, which must run to the value's end (` |` or the line's end): a plain decimal, optionally with an
   * exponent, exactly as Number() reads it (m < 2^53 and 10^|exp| exact: one correctly rounded operation). NaN for
   * anything else. Its end goes to numEnd.
   */
  const number = (b: Uint8Array, s: number, n: number) => {
    let m = 0;
    let i = s;
    let c = b[i]!;
    for (; c >= 48 && c <= 57; c = b[++i]!) m = m * 10 + (c - 48);
    let nd = i - s;
    let exp = 0;
    if (c === 46) {
      const from = ++i;
      for (c = b[i]!; c >= 48 && c <= 57; c = b[++i]!) m = m * 10 + (c - 48);
      if (i === from) return Number.NaN; // `5.`
      nd += i - from;
      exp = from - i;
    }
    if (nd === 0 || nd > 15) return Number.NaN;
    if (c === 101 || c === 69) {
      c = b[++i]!;
      const sign = c === 45 ? -1 : 1;
      if (c === 45 || c === 43) c = b[++i]!;
      let ev = 0;
      const from = i;
      for (; c >= 48 && c <= 57; c = b[++i]!) ev = ev * 10 + (c - 48);
      if (i === from || i - from > 3) return Number.NaN;
      exp += sign * ev;
    }
    if (!(c === 32 ? b[i + 1] === 124 : ends(b, i, n)) || exp < -22 || exp > 22) return Number.NaN;
    numEnd = i;
    return exp < 0 ? m / POW10[-exp]! : exp > 0 ? m * POW10[exp]! : m;
  };
  /** The text of a line ends at i: its newline, the range's end, or a CR just before either (the reader drops it). */
  const ends = (b: Uint8Array, i: number, n: number) => i >= n || b[i] === 10 || (b[i] === 13 && (i + 1 >= n || b[i + 1] === 10));
  /** The key not yet seen that starts the piece at pos followed by `: ` (keys hold no `:`, so it ends the key); or -1. */
  const keyAt = (b: Uint8Array, pos: number, n: number) => {
    const cands = byFirst[b[pos]!];
    if (cands === undefined) return -1;
    for (const k of cands) {
      const key = KEYS[k]!;
      const e = pos + key.u.length;
      if (b[e] === 58 && b[e + 1] === 32 && eq(b, pos, n, key)) return vals[k] === vals[k] ? -1 : k;
    }
    return -1;
  };
  /** The fields of the line at ls into vals; the index where its text ends (newline, CR before it, or n), or -1. */
  const fields = (b: Uint8Array, ls: number, n: number) => {
    if (!eq(b, ls, n, PREFIX)) return -1;
    let i = digits(b, ls + 15);
    epoch = digitValue;
    if (i < 0 || !eq(b, i, n, ITER)) return -1;
    i = digits(b, i + 12);
    iteration = digitValue;
    if (i < 0 || b[i] !== 47) return -1;
    if (b[i + 1] === 63) {
      total = -1;
      i += 2;
    } else if ((i = digits(b, i + 1)) < 0) return -1;
    else total = digitValue;
    for (let k = 0; k < vals.length; k++) vals[k] = Number.NaN;
    let pos = i;
    let piece = 0;
    for (;;) {
      // Pieces are separated by ` |` (scanPipeSpans); spaces and `|` before a key are skipped.
      let c = b[pos]!;
      while (c === 32 || c === 124) c = b[++pos]!;
      if (ends(b, pos, n)) return pos;
      // Step lines repeat their keys in the same order: the key the last line had here is tried first.
      const e0 = piece < 64 ? expected[piece]! : -1;
      const key0 = e0 >= 0 ? KEYS[e0]! : undefined;
      const k = key0 !== undefined && b[pos + key0.u.length] === 58 && b[pos + key0.u.length + 1] === 32 && vals[e0] !== vals[e0] && eq(b, pos, n, key0) ? e0 : keyAt(b, pos, n);
      if (piece < 64) expected[piece] = k;
      piece++;
      let j = pos;
      if (k >= 0) {
        const v = number(b, pos + KEYS[k]!.u.length + 2, n);
        if (v !== v) return -1;
        vals[k] = v;
        j = numEnd;
      } else {
        // Another key (or one seen before): its piece runs to the next ` |`.
        for (;;) {
          while (STOP[c] === 0) c = b[++j]!;
          if (j >= n || c === 10) break;
          if (c === 124) {
            if (b[j - 1] === 32) {
              j--;
              break;
            }
          } else if (c === 13) {
            if (ends(b, j, n)) break;
            return -1;
          } else if (c !== 84 || EVENT.every((x, k) => b[j + k] === x)) return -1;
          c = b[++j]!;
        }
      }
      if (ends(b, j, n)) return j;
      pos = j + 2;
    }
  };
  const pick = (a: number, b: number, c: number) => (vals[a] === vals[a] ? vals[a]! : vals[b] === vals[b] ? vals[b]! : vals[c]!);

  const reader: StepReader = (b, ls, n, r, o, index) => {
    if (b !== cur) {
      cur = b;
      dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    }
    const te = fields(b, ls, n);
    if (te < 0 || te - ls > MAX_SEGMENT) return -1;
    // The step as the text path picks it; a fraction would be rounded, a zero time or rate rejected with a warning.
    const g = vals[0]!;
    const step = g === g ? g : iteration;
    if (!Number.isInteger(step) || vals[1] === 0 || vals[12] === 0) return -1;
    r[o] = index; r[o + 1] = step; r[o + 2] = epoch; r[o + 3] = vals[1]!; r[o + 4] = pick(2, 3, 4); r[o + 5] = vals[5]!;
    r[o + 6] = vals[6]!; r[o + 7] = vals[7]!; r[o + 8] = pick(8, 9, 10); r[o + 9] = vals[11]!; r[o + 10] = vals[12]!;
    r[o + 11] = total; r[o + 12] = vals[13]!; r[o + 13] = vals[14]!;
    return b[te] === 13 ? te + 1 : te;
  };
  return Object.assign(reader, { tables: { keys: KEY_NAMES, stop: STOP } });
}
