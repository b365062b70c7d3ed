// Published figures are kept as the strings the seeds print ("56.38%", "1.84E+14", "116", "16:35:57") so that the
// printed precision is known: `unit` is one unit in the last printed digit, which the audit's tolerance rule needs.

export interface PrintedNumber {
  printed: string;
  /** The number in the printed scale: "56.38%" -> 56.38, "16:35:57" -> 59757 (seconds), "6,471,680" -> 6471680. */
  value: number;
  /** One unit in the last printed digit, in the same scale as `value` ("56.38%" -> 0.01, "1.84E+14" -> 1e12). */
  unit: number;
  kind: 'plain' | 'percent' | 'duration';
  /** A claim such as "over 50 hours" is printed as ">50". */
  comparator?: '>' | '<';
}

const decimalsOf = (digits: string): number => {
  const dot = digits.indexOf('.');
  return dot < 0 ? 0 : digits.length - dot - 1;
};

/** Parses a printed figure; undefined when the string is not one. */
export function parsePrinted(raw: string): PrintedNumber | undefined {
  let s = raw.trim();
  let comparator: '>' | '<' | undefined;
  if (s.startsWith('>') || s.startsWith('<')) {
    comparator = s[0] as '>' | '<';
    s = s.slice(1).trim();
  }
  const withComparator = (p: PrintedNumber): PrintedNumber => (comparator ? { ...p, comparator } : p);
  const clock = /^(\d+):(\d{2})(?::(\d{2}))?$/.exec(s);
  if (clock) {
    const [, a, b, c] = clock;
    const value = c === undefined ? Number(a) * 60 + Number(b) : Number(a) * 3600 + Number(b) * 60 + Number(c);
    return withComparator({ printed: raw, value, unit: 1, kind: 'duration' });
  }
  const percent = s.endsWith('%');
  if (percent) s = s.slice(0, -1);
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replaceAll(',', '');
  const m = /^(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+))?$/.exec(s);
  if (!m) return undefined;
  const mantissa = m[1]!;
  const exponent = m[2] === undefined ? 0 : Number(m[2]);
  const value = Number(s);
  if (!Number.isFinite(value)) return undefined;
  const unit = 10 ** (exponent - decimalsOf(mantissa));
  return withComparator({ printed: raw, value, unit, kind: percent ? 'percent' : 'plain' });
}

/** Like parsePrinted but throws; for strings already validated by the schema. */
export function printed(raw: string): PrintedNumber {
  const p = parsePrinted(raw);
  if (!p) throw new Error(`not a printed number: '${raw}'`);
  return p;
}

/**
 * The true values a printed figure admits: rounding to the printed digit gives [v - u/2, v + u/2), truncation gives
 * [v, v + u); we accept either (the seeds do both: 99296.97 is printed "99296", 196.69 days is printed "197").
 */
export function admittedInterval(p: PrintedNumber): [number, number] {
  if (p.comparator === '>') return [p.value, Number.POSITIVE_INFINITY];
  if (p.comparator === '<') return [Number.NEGATIVE_INFINITY, p.value];
  return [p.value - p.unit / 2, p.value + p.unit];
}
