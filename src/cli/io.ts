// What a command may touch of the terminal. Tests pass their own to capture output.
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

export interface CommandContext {
  io: CliIo;
  /** Working directory for relative paths (defaults to process.cwd()). */
  cwd: string;
  env: NodeJS.ProcessEnv;
}
