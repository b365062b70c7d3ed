import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../ingest/types.ts';
import { deviceTimingCheck } from './device-timing.ts';

const step = (s: number, host: number, deviceMs?: number, line = s): LogEvent => ({
  line,
  event: 'step',
  data: { step: s, step_time_s: host, ...(deviceMs === undefined ? {} : { cuda_event_ms: deviceMs }) },
});

describe('deviceTimingCheck', () => {
  it('compares the two clocks over the window only', () => {
    const events = [step(0, 12, 11_900), step(1, 1.0, 990), step(2, 1.2, 1190), step(3, 1.1, 1090)];
    const d = deviceTimingCheck(events, { firstStep: 1, lastStep: 2 })!;
    expect(d).toMatchObject({ steps: 2, firstStep: 1, lastStep: 2 });
    expect(d.hostMeanS).toBeCloseTo(1.1, 12);
    expect(d.deviceMeanS).toBeCloseTo(1.09, 12);
    expect(d.relativeDifference).toBeCloseTo(0.01 / 1.09, 12);
  });

  it('is undefined without CUDA events (a CPU run) and skips steps missing either clock', () => {
    expect(deviceTimingCheck([step(0, 1), step(1, 1)], { firstStep: 0, lastStep: 1 })).toBeUndefined();
    expect(deviceTimingCheck([step(0, 1, 1000)], {})).toBeUndefined(); // no window (no timed steps)
    const events: LogEvent[] = [step(0, 1, 1000), step(1, 1), step(2, 0, 500), { line: 9, event: 'start', data: { step: 1 } }];
    expect(deviceTimingCheck(events, { firstStep: 0, lastStep: 5 })).toMatchObject({ steps: 1, firstStep: 0, lastStep: 0 });
  });

  it('keeps the last record of a step logged twice (a resumed run), as the step series does', () => {
    const d = deviceTimingCheck([step(4, 2, 2000, 1), step(4, 1, 900, 2)], { firstStep: 0, lastStep: 10 })!;
    expect(d).toMatchObject({ steps: 1, hostMeanS: 1, deviceMeanS: 0.9 });
  });
});
