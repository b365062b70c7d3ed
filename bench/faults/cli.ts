// The trainbench CLI as its own process (the suite kills it with SIGKILL mid-run): npx vite-node bench/faults/cli.ts -- ARGS
import { main } from '../../src/cli/main.ts';

const args = process.argv.slice(2);
process.exitCode = await main(args[0] === '--' ? args.slice(1) : args, {
  out: (s) => void process.stdout.write(s),
  err: (s) => void process.stderr.write(s),
});
