// The reference workload's two output contracts (workload/trainbench_workload/events.py): NeMo-2-style step lines
// and TRAINBENCH_EVENT JSON lines, in the order trainer.py prints them.
import { describe, expect, it } from 'vitest';
import { detectFormat, parseLines } from '../index.ts';

const run = [
  'TRAINBENCH_EVENT {"event":"start","rank":0,"world_size":2,"device":"cpu","dtype":"bf16","seq_len":128,"global_batch":8,"micro_batch":2,"steps":30,"flops_per_token":123456,"grad_accum":2,"resumed_from":0,"time":1764140000.0}',
  'Training epoch 0, iteration 0/29 | lr: 0.0003 | global_batch_size: 8 | global_step: 0 | peak_memory_usage: 123456 | memory_allocated: 1234 | reduced_train_loss: 7.5120 | train_step_timing in s: 0.0000 | consumed_samples: 8',
  'TRAINBENCH_EVENT {"event":"step","step":0,"time":1764140000.123,"step_time_s":0.00004,"loss":7.512,"tokens":1024}',
  'Training epoch 0, iteration 1/29 | lr: 0.0003 | global_batch_size: 8 | global_step: 1 | peak_memory_usage: 123456 | memory_allocated: 1234 | reduced_train_loss: 7.4000 | train_step_timing in s: 0.4123 | consumed_samples: 16',
  'TRAINBENCH_EVENT {"event":"step","step":1,"time":1764140000.535,"step_time_s":0.41234,"loss":7.4,"tokens":1024}',
  'TRAINBENCH_EVENT {"event":"checkpoint","step":2,"path":"/tmp/ck/step-2","time":1764140001.0}',
  'TRAINBENCH_EVENT {"event":"end","status":"completed","steps":2,"time":1764140001.2}',
  'TRAINBENCH_EVENT {not json',
];

describe('workload', () => {
  const detected = detectFormat(run);
  const out = parseLines(detected.parser!, run);
  it('is detected with full confidence', () => {
    expect(detected.parser?.name).toBe('workload');
    expect(detected.confidence).toBe(1);
  });
  it('merges step lines and step events: the event carries full precision and the wall clock', () => {
    expect(out.steps).toEqual([
      expect.objectContaining({ step: 0, stepTimeS: 0.00004, time: 1764140000.123, loss: 7.512, consumedSamples: 8, peakMemoryBytes: 123456 }),
      expect.objectContaining({ step: 1, stepTimeS: 0.41234, time: 1764140000.535 }),
    ]);
  });
  it('keeps every event; the start event states the run shape, the end event the status', () => {
    expect(out.events.map((e) => e.event)).toEqual(['start', 'step', 'step', 'checkpoint', 'end']);
    expect(out.events[3]).toMatchObject({ line: 6, data: { step: 2, path: '/tmp/ck/step-2' } });
    expect(out.header).toMatchObject({ worldSize: 2, seqLen: 128, globalBatchSize: 8, microBatchSize: 2, gradientAccumulation: 2, totalSteps: 30, flopsPerToken: 123456 });
    expect(out.finalMetrics.status).toBe('completed');
    expect(out.lines).toEqual({ total: 8, parsed: 7, unparsed: 1 });
    expect(out.warnings.join()).toContain('did not hold valid JSON');
  });
});
