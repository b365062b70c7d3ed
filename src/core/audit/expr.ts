// A tiny, safe evaluator for the seeds' worked arithmetic ("8192 * 128 / 0.9181", "24 * 96 * 12288^2 + ...").
// It computes the exact value and an interval: a literal written with a decimal point is a printed measurement
// (2987.90 may have been 2987.896), so it spans the values that print that way; integers and 1e12-style constants
// are exact. Grammar: expr = term (('+'|'-') term)*; term = power (('*'|'/') power)*; power = unary ('^' power)?;
// unary = '-' unary | atom; atom = number | '(' expr ')' | ('floor'|'ceil') '(' expr ')'.
import { admittedInterval, parsePrinted } from '../catalog/printed.ts';

export interface Interval {
  value: number;
  lo: number;
  hi: number;
}

const exact = (v: number): Interval => ({ value: v, lo: v, hi: v });

function combine(a: Interval, b: Interval, op: (x: number, y: number) => number): Interval {
  const c = [op(a.lo, b.lo), op(a.lo, b.hi), op(a.hi, b.lo), op(a.hi, b.hi)];
  return { value: op(a.value, b.value), lo: Math.min(...c), hi: Math.max(...c) };
}

function literal(text: string): Interval {
  const clean = text.replaceAll(',', '');
  const value = Number(clean);
  if (!/^\d[\d,]*\.\d+(?:[eE][+-]?\d+)?$/.test(text)) return exact(value);
  const [lo, hi] = admittedInterval(parsePrinted(clean)!);
  return { value, lo, hi };
}

export function evaluate(source: string): Interval {
  const tokens = source.match(/\d[\d,]*(?:\.\d+)?(?:[eE][+-]?\d+)?|floor|ceil|[-+*/^()]|\S/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];
  const fail = (why: string): never => {
    throw new Error(`cannot evaluate '${source}': ${why} at token ${i + 1}`);
  };
  const expect = (t: string) => (next() === t ? undefined : fail(`expected '${t}'`));

  function atom(): Interval {
    const t = next();
    if (t === undefined) return fail('unexpected end');
    if (t === '(') {
      const v = expr();
      expect(')');
      return v;
    }
    if (t === 'floor' || t === 'ceil') {
      expect('(');
      const v = expr();
      expect(')');
      const f = t === 'floor' ? Math.floor : Math.ceil;
      return { value: f(v.value), lo: f(v.lo), hi: f(v.hi) };
    }
    if (/^\d/.test(t)) return literal(t);
    return fail(`unexpected '${t}'`);
  }
  function unary(): Interval {
    if (peek() === '-') {
      next();
      const v = unary();
      return { value: -v.value, lo: -v.hi, hi: -v.lo };
    }
    return atom();
  }
  function power(): Interval {
    const base = unary();
    if (peek() !== '^') return base;
    next();
    return combine(base, power(), (x, y) => x ** y);
  }
  function term(): Interval {
    let v = power();
    while (peek() === '*' || peek() === '/') {
      const op = next();
      const r = power();
      if (op === '/' && r.lo <= 0 && r.hi >= 0) fail('division by a range that includes zero');
      v = combine(v, r, op === '*' ? (x, y) => x * y : (x, y) => x / y);
    }
    return v;
  }
  function expr(): Interval {
    let v = term();
    while (peek() === '+' || peek() === '-') {
      const op = next();
      v = combine(v, term(), op === '+' ? (x, y) => x + y : (x, y) => x - y);
    }
    return v;
  }
  const result = expr();
  if (i < tokens.length) fail(`unexpected '${peek()}'`);
  return result;
}
