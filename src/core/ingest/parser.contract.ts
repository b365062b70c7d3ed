// The one contract every LogParser must pass, run by each parser's test (and the fuzz test) against real fixtures
// and hostile input. Pure: returns the violations found instead of asserting, so any runner can use it.
import type { LogParser, ParseOutput, StepRecord } from './types.ts';

export interface ContractFixture {
  name: string;
  lines: readonly string[];
  /** This fixture is in the parser's own format: it must yield at least one step. */
  expectSteps?: boolean;
}

/** Input no log should be able to crash a parser with. */
export const hostileInputs: readonly ContractFixture[] = [
  { name: 'empty', lines: [] },
  { name: 'blank lines', lines: ['', ' ', '\t', '\r', '\r\n'] },
  { name: 'binary', lines: ['\u0000\u0001\u00ff\ufffd\u001b[31m\u001b]0;x\u0007', '\ud800 lone surrogate'] },
  { name: 'long line', lines: ['x'.repeat(200_000), `${'Epoch 0: '.repeat(5000)}|`] },
  { name: 'truncated fields', lines: ['iteration 5/', 'step:', 'iter 3: loss', 'Training epoch 0, iteration', '{\'loss\':', '{"current_steps": '] },
  { name: 'hostile numbers', lines: ['iteration 1/ 2 | elapsed time per iteration (ms): -5 |', 'iter 2: loss nan, time 0.00ms', 'Step 3: train_step_timing in s=inf', "{'loss': 'nan', 'epoch': '1e999'}", 'step: 4  loss: 1.0  memory: -1GiB(0%)  tps: -3  tflops: 0  mfu: 0%'] },
  { name: 'backwards', lines: ['Training epoch 0, iteration 5/9 | global_step: 5 | train_step_timing in s: 1', 'Training epoch 0, iteration 2/9 | global_step: 2 | train_step_timing in s: 1', ' iteration        9/      10 | elapsed time per iteration (ms): 10.0 |', ' iteration        3/      10 | elapsed time per iteration (ms): 10.0 |'] },
];

const NUMERIC: ReadonlyArray<keyof StepRecord> = [
  'stepTimeS', 'interval', 'loss', 'gradNorm', 'lr', 'peakMemoryBytes', 'consumedSamples', 'tokensPerS',
  'tokensPerSPerGpu', 'samplesPerS', 'tflopsPerGpu', 'engineMfu', 'skippedIterations', 'nanIterations', 'time', 'epoch',
];

function run(parser: LogParser, lines: readonly string[]): ParseOutput {
  const sink = parser.create();
  for (const line of lines) sink.push(line);
  return sink.end();
}

/** Problems found in one output (empty when it honours the contract). */
export function checkOutput(parser: LogParser, out: ParseOutput, pushed: number): string[] {
  const v: string[] = [];
  if (out.format !== parser.name) v.push(`format is '${out.format}', expected '${parser.name}'`);
  const { total, parsed, unparsed } = out.lines;
  if (total !== pushed) v.push(`lines.total ${total} != ${pushed} lines pushed`);
  if (parsed + unparsed !== total || parsed < 0 || unparsed < 0) v.push(`parsed ${parsed} + unparsed ${unparsed} != total ${total}`);
  out.steps.forEach((s, i) => {
    if (!Number.isInteger(s.step) || s.step < 0) v.push(`steps[${i}].step = ${s.step}`);
    if (!(s.line >= 1 && s.line <= total)) v.push(`steps[${i}].line = ${s.line} outside 1..${total}`);
    for (const key of NUMERIC) {
      const x = s[key];
      if (x !== undefined && (typeof x !== 'number' || !Number.isFinite(x))) v.push(`steps[${i}].${key} = ${String(x)}`);
    }
    if (s.stepTimeS !== undefined && !(s.stepTimeS > 0)) v.push(`steps[${i}].stepTimeS = ${s.stepTimeS} (must be > 0)`);
    const prev = out.steps[i - 1];
    if (prev && s.step <= prev.step) {
      const recorded = out.restarts.some((r) => r.toStep === s.step && r.fromStep === prev.step);
      if (!recorded) v.push(`step ${prev.step} then ${s.step} at line ${s.line} without a recorded restart`);
    }
  });
  if (JSON.stringify(JSON.parse(JSON.stringify(out))) !== JSON.stringify(out)) v.push('output is not JSON-stable');
  return v;
}

/** Runs the contract for one parser over its fixtures and the hostile inputs; returns every violation. */
export function runParserContract(parser: LogParser, fixtures: readonly ContractFixture[]): string[] {
  const violations: string[] = [];
  for (const fx of [...fixtures, ...hostileInputs]) {
    const tag = `${parser.name} on ${fx.name}`;
    try {
      const c = parser.detect(fx.lines.slice(0, 200));
      if (!(c >= 0 && c <= 1)) violations.push(`${tag}: detect() = ${c}, must be within 0..1`);
      const out = run(parser, fx.lines);
      violations.push(...checkOutput(parser, out, fx.lines.length).map((m) => `${tag}: ${m}`));
      if (fx.expectSteps && out.steps.length === 0) violations.push(`${tag}: no steps found in its own format`);
      if (JSON.stringify(run(parser, fx.lines)) !== JSON.stringify(out)) violations.push(`${tag}: not deterministic`);
      if (parser.needles) {
        // A reader may skip lines without a needle: the output must not change.
        const sink = parser.create();
        for (const l of fx.lines) {
          if (parser.needles.some((n) => l.includes(n))) sink.push(l);
          else sink.skip(1);
        }
        if (JSON.stringify(sink.end()) !== JSON.stringify(out)) violations.push(`${tag}: skipping lines without needles changes the output`);
      }
      const crlf = run(parser, fx.lines.map((l) => `${l}\r`));
      if (JSON.stringify(crlf.steps.map((s) => s.stepTimeS)) !== JSON.stringify(out.steps.map((s) => s.stepTimeS))) {
        violations.push(`${tag}: CRLF line endings change the step times`);
      }
    } catch (error) {
      violations.push(`${tag}: threw ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return violations;
}
