// Reads the counters the audit needs from one example log line: NeMo 2 ("train_step_timing in s: 0.9181 |
// consumed_samples: 3168"), NeMo 1 Lightning bars ("50/50 [...] global_step=50.0, consumed_samples=76800.0,
// train_step_timing in s=5.900") and tqdm bars ("1/21 [49:47<16:35:57, 2987.90s/it]"). Full log parsing lives in
// core/ingest; this only serves the audit's cross-checks.
export interface LogLineFields {
  stepTimeS?: string;
  consumedSamples?: number;
  globalStep?: number;
  progressDone?: number;
  progressTotal?: number;
}

export function readLogLine(line: string): LogLineFields {
  const out: LogLineFields = {};
  const step = /train_step_timing in s\s*[:=]\s*([\d.]+)/.exec(line) ?? /([\d.]+)s\/it\b/.exec(line);
  if (step) out.stepTimeS = step[1]!;
  const consumed = /consumed_samples\s*[:=]\s*([\d.]+)/.exec(line);
  if (consumed) out.consumedSamples = Number(consumed[1]);
  const global = /global_step\s*[:=]\s*([\d.]+)/.exec(line);
  if (global) out.globalStep = Number(global[1]);
  const progress = /\|\s*(\d+)\/(\d+)\s*\[/.exec(line);
  if (progress) {
    out.progressDone = Number(progress[1]);
    out.progressTotal = Number(progress[2]);
  }
  return out;
}
