// Tail lines prepared for matching: CR redraws and literal ^M split, escapes removed, numbered as in the file.
import { segments } from '../ingest/index.ts';
import type { Evidence } from './types.ts';

export interface TailLine {
  line: number;
  text: string;
}

export function prepare(tail: readonly string[], start = 1): TailLine[] {
  const out: TailLine[] = [];
  tail.forEach((raw, i) => {
    for (const seg of segments(raw)) out.push({ line: start + i, text: seg.text });
  });
  return out;
}

/** Evidence text: the matching part of a line, trimmed to a readable length. */
export function cite(l: TailLine, at = 0): Evidence {
  const from = Math.max(0, at - 40);
  const text = l.text.slice(from, from + 300).trim();
  return { line: l.line, text: (from > 0 ? '…' : '') + text };
}

export function findAll(lines: readonly TailLine[], re: RegExp): { l: TailLine; m: RegExpExecArray }[] {
  const hits: { l: TailLine; m: RegExpExecArray }[] = [];
  for (const l of lines) {
    const m = re.exec(l.text);
    if (m) hits.push({ l, m });
  }
  return hits;
}
