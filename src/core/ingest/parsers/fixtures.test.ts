// What each parser must extract from the real fixtures (values from fixtures/logs/SOURCES.md) and the seeds' lines.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat, findParser, parseLines } from '../index.ts';
import type { ParseOutput } from '../index.ts';

const root = join(import.meta.dirname, '../../../../fixtures/logs');
const read = (path: string) => readFileSync(join(root, path), 'utf8').replace(/\n$/, '').split('\n');

function parse(path: string, expectFormat: string): ParseOutput {
  const lines = read(path);
  expect(detectFormat(lines.slice(0, 200)).parser?.name).toBe(expectFormat);
  return parseLines(findParser(expectFormat)!, lines);
}

describe('nemo2', () => {
  it('bionemo ESM2: steps 120..125, 4-significant-digit timings, GBS 1', () => {
    const out = parse('nemo2/bionemo-esm2-pr740.log', 'nemo2');
    expect(out.steps.map((s) => s.step)).toEqual([120, 121, 122, 123, 124, 125]);
    expect(out.steps[0]!.stepTimeS).toBe(0.03146);
    expect(out.steps[4]!.stepTimeS).toBe(0.0317);
    expect(out.steps[5]).toMatchObject({ stepTimeS: 0.03147, loss: 1.34, consumedSamples: 126 });
    expect(out.header).toMatchObject({ globalBatchSize: 1, totalSteps: 150 });
    expect(out.lines).toEqual({ total: 6, parsed: 6, unparsed: 0 });
  });
  it('progress_interval > 1: each line covers the steps since the previous one', () => {
    const line = (g: number) => `Training epoch 0, iteration ${g}/99 | global_step: ${g} | train_step_timing in s: 0.5`;
    const out = parseLines(findParser('nemo2')!, [line(9), line(19), line(29)]);
    expect(out.steps.map((s) => s.interval)).toEqual([undefined, 10, 10]);
  });
  it('delta timing lines add full-precision step times', () => {
    const out = parseLines(findParser('nemo2')!, ['[NeMo I 2025-01-01 12:00:00 exp_manager:1] Step 7: train_step_timing in s=0.41234567']);
    expect(out.steps).toEqual([{ step: 7, line: 1, stepTimeS: 0.41234567 }]);
  });
});

describe('nemo1', () => {
  it('LoRA V100: literal ^M redraws merge into one step 2000 with 68.70 s, 2e+3 notation', () => {
    const out = parse('nemo1/nemo-launcher-llama2-7b-lora-v100.log', 'nemo1');
    expect(out.steps).toHaveLength(1);
    expect(out.steps[0]).toMatchObject({ step: 2000, stepTimeS: 68.7, loss: 0.139, consumedSamples: 256000 });
  });
  it('ELYZA p-tuning: step 6024/10000, 2.590 s', () => {
    const out = parse('nemo1/nemo2403-elyza-7b-ptuning-earlystop.log', 'nemo1');
    expect(out.steps[0]).toMatchObject({ step: 6024, stepTimeS: 2.59, loss: 0.0252 });
    expect(out.header.totalSteps).toBe(10000);
  });
  it('empty metrics: no crash, no step time', () => {
    const out = parse('nemo1/nemo-issue11900-empty-metrics.log', 'nemo1');
    expect(out.steps.every((s) => s.stepTimeS === undefined)).toBe(true);
  });
});

describe('megatron', () => {
  it('fixstars GPT-3 7B: iteration 10 all-skipped without loss, 12104.3 ms and 875 TFLOP/s at 100', () => {
    const out = parse('megatron/fixstars-mdk-gpt3-7b-1node.log', 'megatron');
    expect(out.steps).toHaveLength(10);
    expect(out.steps[0]).toMatchObject({ step: 10, skipped: true, skippedIterations: 10, interval: 10 });
    expect(out.steps[0]!.loss).toBeUndefined();
    expect(out.steps[9]).toMatchObject({ step: 100, stepTimeS: 12.1043, tflopsPerGpu: 875, loss: 5.847192, consumedSamples: 102400, interval: 10 });
    expect(out.steps[1]).toMatchObject({ step: 20, skippedIterations: 5, peakMemoryBytes: 75078.4326171875 * 2 ** 20 });
    expect(out.header.globalBatchSize).toBe(1024);
    expect(out.skippedSteps).toBe(16);
    expect(out.steps[9]!.time).toBe(Date.UTC(2024, 8, 3, 16, 13, 1) / 1000);
  });
  it('a long preamble: the argument dump is enough to choose megatron, and its values are read', () => {
    const pre = ['using world size: 8, data-parallel size: 8, context-parallel size: 1, tensor-model-parallel size: 1, pipeline-model-parallel size: 1', '------------------------ arguments ------------------------', '  global_batch_size ............................... 1024', '  seq_length ...................................... 2048', '  world_size ...................................... 8'];
    expect(detectFormat(pre).parser?.name).toBe('megatron');
    const out = parseLines(findParser('megatron')!, [...pre, ...read('megatron/fixstars-mdk-gpt3-7b-1node.log')]);
    expect(out.header).toMatchObject({ globalBatchSize: 1024, seqLen: 2048, worldSize: 8 });
  });
  it('Megatron-DeepSpeed variant: tgs, TFLOPs, samples/s, seqlen', () => {
    const out = parse('megatron/deeplink-aichip-qwen-tgs-tflops.log', 'megatron');
    expect(out.steps.at(-1)).toMatchObject({ step: 10, tokensPerSPerGpu: 142.537, tflopsPerGpu: 153.3, samplesPerS: 4.454, loss: 10.99972 });
    expect(out.steps.at(-1)!.stepTimeS).toBeCloseTo(344.8357, 6);
    expect(out.header).toMatchObject({ globalBatchSize: 1536, seqLen: 2048, totalSteps: 10 });
  });
  it('ALCF Megatron-DeepSpeed: 2 steps, 14541.4 ms at 200', () => {
    const out = parse('deepspeed/alcf-megatron-deepspeed-polaris-ckpt-crash.log', 'megatron');
    expect(out.steps.map((s) => s.step)).toEqual([199, 200]);
    expect(out.steps[1]).toMatchObject({ stepTimeS: 14.5414, tokensPerSPerGpu: 1126.713, loss: 5.897035 });
    expect(out.header).toMatchObject({ globalBatchSize: 768, seqLen: 4096 });
    expect(out.events).toEqual([{ line: 6, event: 'checkpoint', data: { step: 200 } }]);
  });
});

describe('hf', () => {
  it('ChatGLM banner: examples, epochs, batch, GA, steps, trainable params; counted loss lines', () => {
    const out = parse('hf/chatglm-efficient-tuning-lora-start.log', 'hf');
    expect(out.header).toEqual({
      numExamples: 4, numEpochs: 100, perDeviceBatchSize: 1, globalBatchSize: 4, gradientAccumulation: 4,
      totalSteps: 100, trainableParams: 3670016,
    });
    expect(out.steps.map((s) => s.loss)).toEqual([1.9206, 1.0406, 0.4445, 0.0943, 0.0085, 0.0035, 0.0024, 0.0021, 0.0019, 0.0019]);
  });
  it('transformers 5 quoted values and tqdm rates; final metrics dict', () => {
    const out = parse('hf/transformers-5.17-trainer-h200.log', 'hf');
    expect(out.steps).toHaveLength(60);
    expect(out.steps[0]).toMatchObject({ step: 1, stepTimeS: 1.93, loss: 10.58, gradNorm: 1.016 });
    expect(out.steps[4]!.stepTimeS).toBeCloseTo(1 / 3.29, 9);
    expect(out.finalMetrics).toMatchObject({ train_runtime: 10.63, train_steps_per_second: 5.645, train_loss: 10.49 });
  });
  it('LLaMA-Factory trainer_log.jsonl: Δelapsed/Δsteps', () => {
    const out = parse('hf/llamafactory-llama3-8b-lora-trainer_log.jsonl', 'hf');
    expect(out.steps.map((s) => s.step)).toEqual([50, 100, 150, 200, 250, 300, 310]);
    expect(out.steps[5]).toMatchObject({ loss: 1.9775, stepTimeS: (937 - 778) / 50 });
    expect(out.steps[6]!.loss).toBeUndefined();
  });
  it('LLaMA-Factory train metrics block', () => {
    const out = parse('hf/llamafactory-llama3-8b-lora-end.log', 'hf');
    expect(out.finalMetrics).toEqual({
      epoch: 5, total_flos: 38889053 * 2 ** 30, train_loss: 2.2415, train_runtime: 968.44,
      train_samples_per_second: 5.065, train_steps_per_second: 0.32,
    });
  });
  it('VideoLLaMA2 dicts without step or time', () => {
    const out = parse('hf/videollama2-issue157-grad-norm.log', 'hf');
    expect(out.steps).toHaveLength(13);
    expect(out.steps.every((s) => s.stepTimeS === undefined)).toBe(true);
  });
});

describe('torchtitan, nanogpt, deepspeed', () => {
  it('torchtitan: step time from timestamps, tps with separators, memory GiB', () => {
    const out = parse('torchtitan/torchtitan-pr3393-checkpoint.log', 'torchtitan');
    expect(out.steps).toHaveLength(8);
    expect(out.steps[0]!.stepTimeS).toBeUndefined();
    expect(out.steps[7]).toMatchObject({ step: 21, tokensPerSPerGpu: 7304, tflopsPerGpu: 0.52, loss: 3.00867 });
    expect(out.steps[7]!.stepTimeS).toBeCloseTo(1.122, 6);
    expect(out.steps[7]!.engineMfu).toBeCloseTo(0.0017, 9);
  });
  it('nanoGPT: nan loss flagged, checkpoint outlier kept, mfu as fraction', () => {
    const out = parse('nanogpt/nanogpt-issue215-v100-nan.log', 'nanogpt');
    const s3000 = out.steps.find((s) => s.step === 3000)!;
    expect(s3000.stepTimeS).toBeCloseTo(35.39233, 9);
    expect(out.steps.filter((s) => s.nanLoss).map((s) => s.step)).toEqual([3010, 3020, 3030, 3040, 3050, 3060]);
    expect(parse('nanogpt/nanogpt-issue110-8xa100-no-mfu.log', 'nanogpt').steps.at(-1)).toMatchObject({ step: 1641, loss: 3.9748 });
  });
  it('deepspeed: wrapped MaxMemAllocated, cumulative skipped, negative profiler throughput rejected', () => {
    const zero3 = parse('deepspeed/hf-trainer-zero3-interleaved.log', 'deepspeed');
    expect(zero3.steps.at(-1)).toMatchObject({ step: 40, samplesPerS: 109.53330286609649, peakMemoryBytes: 6.12 * 2 ** 30 });
    const fp16 = parse('failures/deepspeed-fp16-overflow-skipped-steps.log', 'deepspeed');
    expect(fp16.skippedSteps).toBe(17);
    const prof = parse('deepspeed/alcf-flops-profiler-step5.log', 'deepspeed');
    expect(prof.warnings.some((w) => w.includes('samples/second = -0.5'))).toBe(true);
    expect(prof.steps[0]!.samplesPerS).toBeCloseTo(151.03, 2);
  });
});

describe('seed 003 (LLaMA-Factory on Baskerville) and DeepSpeed pipeline lines', () => {
  it('HF banner and tqdm s/it steps before a time limit', async () => {
    const { readdirSync } = await import('node:fs');
    const seeds = join(import.meta.dirname, '../../../../fixtures/seeds');
    const text = readFileSync(join(seeds, readdirSync(seeds).find((f) => f.startsWith('003'))!), 'utf8').split('\n');
    const block = text.slice(text.findIndex((l) => l.includes('***** Running training *****')), text.findIndex((l) => l.includes('DUE TO TIME LIMIT')) + 1);
    const out = parse0(block, 'hf');
    expect(out.header).toMatchObject({ numExamples: 981, numEpochs: 3, perDeviceBatchSize: 1, globalBatchSize: 128, gradientAccumulation: 8, totalSteps: 21, trainableParams: 6471680 });
    expect(out.steps.map((s) => [s.step, s.stepTimeS])).toEqual([[1, 2987.9], [2, 3005.47], [3, 2962.79]]);
  });
  it('pipeline engine `steps: N loss: x iter time (s): y samples/sec: z` (constructed from the format string, FORMATS.md §6)', () => {
    const out = parseLines(findParser('deepspeed')!, ['steps: 10 loss: 2.3456 iter time (s): 1.234 samples/sec: 103.728', 'steps: 20 loss: 2.1000 iter time (s): 1.200 samples/sec: 106.667']);
    expect(out.steps.map((s) => [s.step, s.stepTimeS, s.loss])).toEqual([[10, 1.234, 2.3456], [20, 1.2, 2.1]]);
  });
});

function parse0(lines: string[], format: string): ParseOutput {
  expect(detectFormat(lines.slice(0, 200)).parser?.name).toBe(format);
  return parseLines(findParser(format)!, lines);
}
