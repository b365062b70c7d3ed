// Shard sets: `<prefix>_<NN>_<key>_document` stems numbered from 0; a gap means a shard was lost or never written.

const SHARD = /^(.*)_(\d+)_([^_]+)_document$/;

/** Names of shard stems missing from a numbered set (e.g. `my-gpt3_02_text_document` when 00, 01, 03 exist). */
export function missingShards(stemNames: readonly string[]): string[] {
  const groups = new Map<string, { width: number; numbers: Set<number>; key: string; prefix: string }>();
  for (const name of stemNames) {
    const match = SHARD.exec(name);
    if (!match) continue;
    const [, prefix, digits, key] = match as unknown as [string, string, string, string];
    const id = `${prefix}\u0000${key}`;
    const group = groups.get(id) ?? { width: digits.length, numbers: new Set<number>(), key, prefix };
    group.numbers.add(Number(digits));
    groups.set(id, group);
  }
  const missing: string[] = [];
  for (const g of groups.values()) {
    const max = Math.max(...g.numbers);
    for (let n = 0; n <= max; n++) {
      if (!g.numbers.has(n)) missing.push(`${g.prefix}_${String(n).padStart(g.width, '0')}_${g.key}_document`);
    }
  }
  return missing;
}
