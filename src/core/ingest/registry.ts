// Every log parser, and format detection over the first lines of a log.
import { deepspeedParser } from './parsers/deepspeed.ts';
import { hfParser } from './parsers/hf.ts';
import { megatronParser } from './parsers/megatron.ts';
import { nanogptParser } from './parsers/nanogpt.ts';
import { nemo1Parser } from './parsers/nemo1.ts';
import { nemo2Parser } from './parsers/nemo2.ts';
import { nnscalerParser } from './parsers/nnscaler.ts';
import { torchtitanParser } from './parsers/torchtitan.ts';
import { workloadParser } from './parsers/workload.ts';
import type { LogParser } from './types.ts';

/** In tie order: earlier wins when two parsers are equally confident. */
export const parsers: readonly LogParser[] = [
  workloadParser, nemo2Parser, megatronParser, torchtitanParser, nnscalerParser, nemo1Parser, nanogptParser,
  deepspeedParser, hfParser,
];

export const formatNames: readonly string[] = parsers.map((p) => p.name);

export function findParser(name: string): LogParser | undefined {
  return parsers.find((p) => p.name === name);
}

export interface Detection {
  parser: LogParser | undefined;
  confidence: number;
  scores: Record<string, number>;
}

/** Most confident parser for these first lines; undefined parser when none recognises anything. */
export function detectFormat(head: readonly string[]): Detection {
  const scores: Record<string, number> = {};
  let best: LogParser | undefined;
  let confidence = 0;
  for (const p of parsers) {
    const c = p.detect(head);
    scores[p.name] = c;
    if (c > confidence) {
      best = p;
      confidence = c;
    }
  }
  return { parser: best, confidence, scores };
}
