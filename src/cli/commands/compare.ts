// `trainbench compare A B`: B (candidate) against A (baseline): per-metric ratios and a verdict within a tolerance.
// Each side is a log, a run directory, or a JSON result. Exit 6 (regression) when B is worse beyond the tolerance.
import { EXIT, usageError } from '../../core/errors.ts';
import { measureOptions } from './parse.ts';
import type { MeasureOpts } from './parse.ts';
import type { RegisterCommand } from './registry.ts';

function tolerance(raw: string): number {
  const v = Number(raw.endsWith('%') ? Number(raw.slice(0, -1)) / 100 : raw);
  if (raw.trim() === '' || !Number.isFinite(v) || v < 0 || v >= 1) {
    throw usageError(`--tolerance must be a fraction in [0, 1), got '${raw}'`, { code: 'invalid-number', hint: 'e.g. --tolerance 0.05 (or 5%)' });
  }
  return v;
}

export const registerCompare: RegisterCommand = (program, ctx, setExit) => {
  const cmd = program
    .command('compare')
    .description('compare B (candidate) with A (baseline): logs, run directories or JSON results; exit 6 on regression')
    .argument('<a>', 'baseline: log, run directory, or JSON (parse --json output or {stepTimeS, tokensPerS, mfu, daysToTrain})')
    .argument('<b>', 'candidate: same forms as A')
    .option('--tolerance <f>', 'relative band counted as no change (fraction, or N%)', tolerance, 0.05)
    .option('--json', 'one JSON document');
  measureOptions(cmd).action(async (a: string, b: string, opts: MeasureOpts & { tolerance: number }) => {
    const { resolve } = await import('node:path');
    const { compareFigures, parseWindow, renderComparison } = await import('../../core/measure/index.ts');
    const { loadSide } = await import('../../adapters/ingest/compare-side.ts');
    const window = parseWindow(opts.window);
    const baseline = await loadSide(resolve(ctx.cwd, a), { ...opts, window });
    const candidate = await loadSide(resolve(ctx.cwd, b), { ...opts, window });
    const comparison = compareFigures(candidate.figures, baseline.figures, opts.tolerance);
    if (opts.json) ctx.io.out(JSON.stringify({ baseline, candidate, ...comparison }, null, 2) + '\n');
    else {
      const out = [`A (baseline):  ${baseline.source}${baseline.window ? ` [${baseline.window}]` : ''}`, `B (candidate): ${candidate.source}${candidate.window ? ` [${candidate.window}]` : ''}`, ''];
      ctx.io.out(out.join('\n') + renderComparison(comparison, { baseline: 'A', candidate: 'B' }));
    }
    if (comparison.verdict === 'regression') setExit(EXIT.regression);
  });
};
