// One parse in a fresh process, as `trainbench parse FILE` does it (cold code, empty heap), timed from inside so
// that Node's start and the module loading are left out, as for the in-process rounds; ingest.bench.ts runs it
// once per round. Prints {s, cpu, covered, mean, records} as JSON: the step count and mean computed as awk does.
import { parsePath } from '../../src/adapters/ingest/index.ts';
import { stepMean } from './step-mean.ts';

const file = process.argv[2]!;
const t0 = process.hrtime.bigint();
const c0 = process.cpuUsage();
const parsed = await parsePath(file);
const { covered, mean, records } = stepMean(parsed.output.steps);
const c = process.cpuUsage(c0);
console.log(JSON.stringify({ s: Number(process.hrtime.bigint() - t0) / 1e9, cpu: (c.user + c.system) / 1e6, covered, mean, records }));
