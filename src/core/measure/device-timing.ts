// An independent clock for the step time. The reference workload can time each optimizer step twice: the host clock
// around the whole step (the step line trainbench measures) and CUDA events recorded on the GPU's stream
// (`cuda_event_ms` in its step events, workload/README.md). When the two agree over the measured window, the
// tokens/s and MFU trainbench reports are the GPU's, not an artefact of host-side timing.
import type { LogEvent } from '../ingest/types.ts';
import { formatStepTime } from './render.ts';

export interface DeviceTimingCheck {
  /** Steps of the window that carry both clocks. */
  steps: number;
  firstStep: number;
  lastStep: number;
  /** Mean step time over those steps by the host clock (the step events' step_time_s). */
  hostMeanS: number;
  /** The same steps by CUDA events. */
  deviceMeanS: number;
  /** (host - device) / device: positive when the host clock sees longer steps. */
  relativeDifference: number;
}

/**
 * Compares the two clocks over the steps of the result's window (`firstStep..lastStep`); undefined without CUDA
 * events or without a window.
 */
export function deviceTimingCheck(events: readonly LogEvent[], window: { firstStep?: number; lastStep?: number }): DeviceTimingCheck | undefined {
  const { firstStep: fromStep, lastStep: toStep } = window;
  if (fromStep === undefined || toStep === undefined) return undefined;
  // The last event of a step wins, as the step series keeps the last record of a repeated step (a resumed run).
  const byStep = new Map<number, { host: number; device: number }>();
  for (const e of events) {
    if (e.event !== 'step') continue;
    const { step, step_time_s: host, cuda_event_ms: deviceMs } = e.data;
    if (typeof step !== 'number' || step < fromStep || step > toStep) continue;
    if (typeof host !== 'number' || typeof deviceMs !== 'number' || !(host > 0) || !(deviceMs > 0)) continue;
    byStep.set(step, { host, device: deviceMs / 1000 });
  }
  if (byStep.size === 0) return undefined;
  let host = 0;
  let device = 0;
  let firstStep = Infinity;
  let lastStep = -Infinity;
  for (const [step, t] of byStep) {
    host += t.host;
    device += t.device;
    firstStep = Math.min(firstStep, step);
    lastStep = Math.max(lastStep, step);
  }
  const hostMeanS = host / byStep.size;
  const deviceMeanS = device / byStep.size;
  return {
    steps: byStep.size,
    firstStep,
    lastStep,
    hostMeanS,
    deviceMeanS,
    relativeDifference: (hostMeanS - deviceMeanS) / deviceMeanS,
  };
}

/** The check as `trainbench run` and `trainbench parse` print it, one line. */
export function renderDeviceTiming(d: DeviceTimingCheck): string {
  return `Step time by CUDA events (steps ${d.firstStep}..${d.lastStep}, ${d.steps} steps): ${formatStepTime(d.deviceMeanS)} s on the GPU vs ${formatStepTime(d.hostMeanS)} s by the host clock, difference ${(d.relativeDifference * 100).toFixed(2)}%`;
}
