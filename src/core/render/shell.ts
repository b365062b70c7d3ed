// Shell quoting for rendered scripts. Every user-provided value goes through `sq`, which wraps it in single quotes
// (inside which bash expands nothing) and writes embedded single quotes as '\''. Newlines stay literal inside the
// quotes, so `$(...)`, backticks, `;` and line breaks in a value are data, never code.

export function sq(value: string | number): string {
  const text = String(value);
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export const sqArgs = (args: readonly (string | number)[]): string => args.map(sq).join(' ');

/** A shell variable name that is safe to export (values are quoted separately). */
export function assertEnvName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`invalid environment variable name: ${JSON.stringify(name)}`);
  return name;
}

/** Names whose values are secrets: passed through the job's environment, never written into a script. */
export const isSecretName = (name: string): boolean => /(_TOKEN|_KEY|SECRET|PASSWORD)$|^(HF_TOKEN|WANDB_API_KEY)$/i.test(name);
