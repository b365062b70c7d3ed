// The dataset adapter's only door: prepare (JSONL -> shards), inspect/check, and validated random access.
export { openIndexedDataset, type IndexedDataset } from './reader.ts';
export { inspectPair, type DatasetProblem, type InspectOptions, type PairReport } from './inspect.ts';
export { discoverStems } from './discover.ts';
export { checkDataset, type DatasetReport } from './check.ts';
export { prepareDataset, type PrepareOptions, type PrepareProgress, type PrepareResult } from './prepare.ts';
export { IndexedDatasetWriter, type WrittenShard } from './writer.ts';
