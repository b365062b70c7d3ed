// Tolerant reader for the Python dict reprs HF Trainer prints: `{'loss': 1.8765, 'epoch': 0.12}` (4.x) and
// `{'loss': '1.877', 'epoch': '0.12'}` (5.x prints every float as a quoted string). Nested values are skipped.
const PAIR = /'([^']+)':\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^,{}]+)/g;

export function readPyDict(text: string): Map<string, string> | undefined {
  const t = text.trim();
  if (!t.startsWith("{'") || !t.endsWith('}')) return undefined;
  const out = new Map<string, string>();
  for (const m of t.slice(1, -1).matchAll(PAIR)) {
    out.set(m[1]!, m[2]!.trim().replace(/^['"]|['"]$/g, ''));
  }
  return out.size > 0 ? out : undefined;
}
