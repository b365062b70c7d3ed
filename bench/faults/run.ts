// Fault-injection suite on the real single-host Slurm (scripts/slurm-local.sh start) with the real workload.
//   npx vite-node bench/faults/run.ts [--short] [--only NAME[,NAME]]
// Prints the table (fault, expected, observed, steps lost, data lost, pass) and `N passed, N failed`; exit 1 when a
// fault failed, 8 when Slurm is not up.
import { runSuite, slurmUp } from './suite.ts';

const args = process.argv.slice(2).filter((a) => a !== '--');
const short = args.includes('--short');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1]?.split(',') : undefined;

if (!slurmUp()) {
  process.stderr.write('Slurm is not up: start it with `bash scripts/slurm-local.sh start`\n');
  process.exit(8);
}
const t0 = Date.now();
const result = await runSuite({ short, ...(only ? { only } : {}), log: (l) => void process.stderr.write(`${l}\n`) });
process.stdout.write(`\n${result.table}\n${result.summary} (${short ? 'short' : 'full'} mode, ${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
process.exitCode = result.failed ? 1 : 0;
