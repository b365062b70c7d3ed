// Runs the CLI in-process and captures what it prints: the e2e helper shared by command tests.
import { main } from '../main.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    argv,
    { out: (s) => void (stdout += s), err: (s) => void (stderr += s) },
    { ...(options.cwd ? { cwd: options.cwd } : {}), ...(options.env ? { env: options.env } : {}) },
  );
  return { code, stdout, stderr };
}
