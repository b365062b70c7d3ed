// One side of `trainbench compare`: a log file or run directory (measured with the shared flags), or a JSON file
// holding a `trainbench parse --json` document, plain figures {stepTimeS, tokensPerS, mfu, daysToTrain}, or one row
// of data/published/*.jsonl (published figures: measured_step_time_s, mfu_pct, seq_len, gbs).
import { readFile } from 'node:fs/promises';
import { inputError } from '../../core/errors.ts';
import { figuresOf } from '../../core/measure/index.ts';
import type { Figures, Result, Window } from '../../core/measure/index.ts';
import { measureLog } from './measure-log.ts';
import type { FactFlags } from './measure-log.ts';

export interface Side {
  source: string;
  kind: 'log' | 'result-json' | 'figures-json';
  figures: Figures;
  window?: string;
  assumptions?: string[];
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function figuresFromJson(path: string, data: unknown): Side {
  const o = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const r = (o.result ?? (o.stepTime !== undefined ? o : undefined)) as Partial<Result> | undefined;
  if (r && typeof r === 'object') {
    const st = r.stepTime as { meanS?: unknown } | undefined;
    const figures = figuresOf({ ...(r as Result), stepTime: num(st?.meanS) === undefined ? undefined : (r.stepTime as Result['stepTime']) });
    return { source: path, kind: 'result-json', figures, ...(r.window?.description ? { window: r.window.description } : {}), ...(Array.isArray(r.assumptions) ? { assumptions: r.assumptions } : {}) };
  }
  if (num(o.measured_step_time_s) !== undefined) return publishedRow(path, o);
  const figures: Figures = { stepTimeS: num(o.stepTimeS), tokensPerS: num(o.tokensPerS), mfu: num(o.mfu), daysToTrain: num(o.daysToTrain) };
  if (Object.values(figures).every((v) => v === undefined)) {
    throw inputError(`${path} holds no figures`, {
      code: 'no-figures', file: path,
      hint: 'give a `trainbench parse --json` output or {"stepTimeS": 1.32, "tokensPerS": 99296, "mfu": 0.5638}',
    });
  }
  return { source: path, kind: 'figures-json', figures };
}

/** A row of data/published/*.jsonl (published figures): step time, MFU in percent, tokens/s from seq x GBS. */
function publishedRow(path: string, o: Record<string, unknown>): Side {
  const step = num(o.measured_step_time_s)!;
  const seq = num(o.seq_len);
  const gbs = num(o.gbs);
  const perGpu = num(o.tokens_per_s_per_gpu);
  const gpus = num(o.num_gpus);
  const mfuPct = num(o.mfu_pct);
  const tokensPerS = seq && gbs ? (seq * gbs) / step : perGpu && gpus ? perGpu * gpus : undefined;
  return {
    source: `${path}${typeof o.source === 'string' ? ` (${o.source})` : ''}`,
    kind: 'figures-json',
    figures: { stepTimeS: step, tokensPerS, mfu: mfuPct === undefined ? undefined : mfuPct / 100, daysToTrain: tokensPerS ? 1e12 / tokensPerS / 86400 : undefined },
  };
}

export async function loadSide(path: string, opts: FactFlags & { format?: string; window: Window }): Promise<Side> {
  if (path.endsWith('.json')) {
    let data: unknown;
    try {
      data = JSON.parse(await readFile(path, 'utf8'));
    } catch (error) {
      throw inputError(`cannot read ${path} as JSON: ${(error as Error).message}`, { code: 'bad-json', file: path, hint: 'pass a log, a run directory or a JSON result' });
    }
    return figuresFromJson(path, data);
  }
  const m = await measureLog(path, opts);
  return { source: m.parsed.file, kind: 'log', figures: figuresOf(m.result), window: m.result.window.description, assumptions: m.result.assumptions };
}
