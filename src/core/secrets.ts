// Secrets never reach the store, a report or a log we write: values of secret-looking keys, and any occurrence of a
// known secret value inside a string (a command line that inlined a token), become `***`.

export const REDACTED = '***';

/** Names that hold secrets: `*_TOKEN`, `*_KEY`, `*SECRET*`, `*PASSWORD*` (case-insensitive, so JSON keys too). */
const SECRET_NAME = /(_TOKEN|_KEY)$|SECRET|PASSWORD/i;

/** Shorter values are not searched for inside strings: `1` or `on` would blank out unrelated text. */
const MIN_SECRET_LENGTH = 4;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** The values of the secret-named entries of an environment, longest first (so a value that contains another wins). */
export function secretValuesFrom(env: Readonly<Record<string, string | undefined>>): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && isSecretName(name) && value.length >= MIN_SECRET_LENGTH) values.add(value);
  }
  return [...values].sort((a, b) => b.length - a.length);
}

function scrubString(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET_LENGTH && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/**
 * A copy of `value` with secrets replaced by `***`: values of secret-named keys (at any depth), and every occurrence of
 * one of `secrets` inside any string. Pure; non-plain objects (Date, Map) are kept as they are.
 */
export function redactSecrets<T>(value: T, secrets: readonly string[] = []): T {
  return walk(value, secrets) as T;
}

function walk(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return scrubString(value, secrets);
  if (Array.isArray(value)) return value.map((item) => walk(item, secrets));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = isSecretName(key) && item !== null && item !== undefined && item !== '' ? REDACTED : walk(item, secrets);
    }
    return out;
  }
  return value;
}
