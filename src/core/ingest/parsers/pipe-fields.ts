// One left-to-right pass over `key: value | key: value` text for a fixed set of keys: each piece's key is compared
// in place (startsWith), only the wanted values are sliced. NeMo 2 lines are most of a multi-GB log; this pass
// replaced a split + Map (and then one indexOf per key), the hot spots in profiles.

/** Values of `keys` in `text` from `from` on, in the order of `keys`; undefined where absent. */
export function scanPipeFields(text: string, keys: readonly string[], from = 0): (string | undefined)[] {
  const out: (string | undefined)[] = new Array<string | undefined>(keys.length);
  let pos = from;
  while (pos < text.length) {
    while (text.charCodeAt(pos) === 32 || text.charCodeAt(pos) === 124) pos++; // spaces and `|`
    const next = text.indexOf(' |', pos);
    const end = next < 0 ? text.length : next;
    const first = text.charCodeAt(pos);
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      if (key.charCodeAt(0) !== first || out[k] !== undefined) continue;
      if (text.startsWith(key, pos) && text.charCodeAt(pos + key.length) === 58 && text.charCodeAt(pos + key.length + 1) === 32) {
        out[k] = text.slice(pos + key.length + 2, end);
        break;
      }
    }
    if (next < 0) break;
    pos = next + 2;
  }
  return out;
}
