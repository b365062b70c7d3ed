// Built-in GPU defaults, named as the published runs name them. The catalog (data/gpus/*.yaml) is preferred when it
// has the GPU; these keep `plan`, `predict` and `plan validate` working without it and document what was assumed.
import type { Hardware } from './types.ts';

/**
 * Bandwidths: NVLink per GPU one direction (A100 NVLink3 600 GB/s bidirectional, H100/H200 NVLink4 900);
 * network per GPU = one NIC per GPU as in DGX A100 (HDR 200 Gb/s = 25 GB/s) and DGX H100 (NDR 400 Gb/s = 50 GB/s).
 */
export const BUILTIN_GPUS: Record<string, Hardware> = {
  'A100-80GB': {
    name: 'A100-80GB',
    peakTflops: { bf16: 312, fp8: 312 },
    memoryGiB: 79.2,
    hbmTBps: 2.04,
    nvlinkGBps: 300,
    networkGBps: 25,
    gpusPerNode: 8,
  },
  'A100-40GB': {
    name: 'A100-40GB',
    peakTflops: { bf16: 312, fp8: 312 },
    memoryGiB: 39.6,
    hbmTBps: 1.56,
    nvlinkGBps: 300,
    networkGBps: 25,
    gpusPerNode: 8,
  },
  H100: {
    name: 'H100',
    peakTflops: { bf16: 989, fp8: 1979 },
    memoryGiB: 79.6,
    hbmTBps: 3.35,
    nvlinkGBps: 450,
    networkGBps: 50,
    gpusPerNode: 8,
  },
  H200: {
    name: 'H200',
    peakTflops: { bf16: 989, fp8: 1979 },
    memoryGiB: 139.8,
    hbmTBps: 4.8,
    nvlinkGBps: 450,
    networkGBps: 50,
    gpusPerNode: 8,
  },
};

/** Aliases the published rows and users write. */
const ALIASES: Record<string, string> = { A100: 'A100-80GB', 'A100-80G': 'A100-80GB', 'A100-40G': 'A100-40GB', 'H100-80GB': 'H100' };

export function builtinGpu(name: string): Hardware | undefined {
  const key = Object.keys(BUILTIN_GPUS).find((k) => k.toLowerCase() === name.toLowerCase());
  const alias = Object.keys(ALIASES).find((k) => k.toLowerCase() === name.toLowerCase());
  const id = key ?? (alias ? ALIASES[alias] : undefined);
  return id ? BUILTIN_GPUS[id] : undefined;
}

export const builtinGpuNames = (): string[] => [...Object.keys(BUILTIN_GPUS), ...Object.keys(ALIASES)];
