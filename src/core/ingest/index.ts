// The ingest door: one LogParser interface, every parser, detection, and a line-array helper.
export type { HeaderFacts, LineCounts, LineSink, LogEvent, LogParser, ParseOutput, Restart, RowScan, SinkOptions, StepRecord } from './types.ts';
export { detectFormat, findParser, formatNames, parsers } from './registry.ts';
export type { Detection } from './registry.ts';
export { parseLines } from './sink.ts';
export { segments } from './text.ts';
