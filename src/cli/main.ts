import { Command, CommanderError } from 'commander';
import { EXIT, TrainbenchError, formatError } from '../core/errors.ts';
import { didYouMean } from '../core/suggest.ts';
import type { CliIo, CommandContext } from './io.ts';
import { commands } from './commands/registry.ts';

/** Builds the program; every command is declared in commands/registry.ts and imports its work lazily. */
export function buildProgram(ctx: CommandContext, setExit: (code: number) => void): Command {
  const program = new Command('trainbench')
    .description('Plan, launch and measure LLM training runs: Slurm, NeMo, Megatron-LM, LLaMA-Factory, PyTorch.')
    .version(process.env.npm_package_version ?? '0.1.0')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: ctx.io.out, writeErr: ctx.io.err });
  for (const register of commands) register(program, ctx, setExit);
  return program;
}

export async function main(argv: string[], io: CliIo, options: Partial<CommandContext> = {}): Promise<number> {
  const ctx: CommandContext = { io, cwd: options.cwd ?? process.cwd(), env: options.env ?? process.env };
  let exitCode: number = EXIT.ok;
  const program = buildProgram(ctx, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    return handleError(error, io, program);
  }
}

function handleError(error: unknown, io: CliIo, program: Command): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
    if (error.code === 'commander.help') return EXIT.ok;
    if (error.code === 'commander.unknownCommand') {
      const name = /'([^']+)'/.exec(error.message)?.[1] ?? '';
      const names = program.commands.map((c) => c.name());
      if (name && !error.message.includes('Did you mean')) io.err(`  ${didYouMean(name, names)}\n`);
    }
    return EXIT.usage;
  }
  if (error instanceof TrainbenchError) {
    io.err(formatError(error));
    return error.exitCode;
  }
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.err(`internal error: ${text}\nThis is a bug in trainbench; please report it with the command you ran.\n`);
  return EXIT.internal;
}
