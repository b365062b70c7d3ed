// `data check` / `data stats`: every pair a target names, inspected, plus gaps in the shard numbering.
import { basename } from 'node:path';
import { missingShards } from '../../core/dataset/shards.ts';
import { discoverStems } from './discover.ts';
import { inspectPair, type DatasetProblem, type InspectOptions, type PairReport } from './inspect.ts';

export interface DatasetReport {
  target: string;
  ok: boolean;
  shards: PairReport[];
  problems: DatasetProblem[];
  documents: number;
  sequences: number;
  tokens: number;
  bytes: number;
}

export function checkDataset(target: string, options: InspectOptions = {}): DatasetReport {
  const stems = discoverStems(target);
  const shards = stems.map((stem) => inspectPair(stem, options));
  const problems = shards.flatMap((s) => s.problems);
  for (const name of missingShards(stems.map((s) => basename(s)))) {
    problems.push({ file: `${name}.idx`, message: 'missing: the shard numbering has a gap here (no .bin or .idx)' });
  }
  const sum = (f: (s: PairReport) => number) => shards.reduce((total, s) => total + f(s), 0);
  return {
    target,
    ok: problems.length === 0,
    shards,
    problems,
    documents: sum((s) => s.documents),
    sequences: sum((s) => s.sequences),
    tokens: sum((s) => s.tokens),
    bytes: sum((s) => s.idxBytes + s.binBytes),
  };
}
