// Adapts the catalog's Model and Gpu records (core/catalog) to the planner's own ModelShape and Hardware.
import { findGpu, findModel, type Catalog, type Gpu, type Model } from '../catalog/index.ts';
import { builtinGpu } from './hardware.ts';
import type { Hardware, ModelShape } from './types.ts';

export const shapeFromModel = (m: Model): ModelShape => ({
  layers: m.layers,
  hidden: m.hidden,
  ffn: m.ffn,
  heads: m.heads,
  kvHeads: m.kv_heads,
  vocab: m.vocab,
  gated: m.family === 'llama',
});

/** Datasheet "80 GB" parts expose ~79.6 GiB (81559 MiB on an H100, 40536 MiB on an A100 40GB): x0.995 / 1.0 GiB. */
export function hardwareFromGpu(g: Gpu): Hardware {
  const bf16 = g.peak_tflops.bf16.value ?? 0;
  return {
    name: g.name,
    peakTflops: { bf16, fp8: g.peak_tflops.fp8.value ?? bf16 },
    memoryGiB: Math.round((g.memory_gb.value ?? 0) * 0.995 * 10) / 10,
    hbmTBps: g.memory_bandwidth_tbps.value ?? 1,
    nvlinkGBps: g.nvlink_gbps_per_direction.value ?? 0,
    networkGBps: (g.network_gbit_per_gpu.value ?? 0) / 8,
    gpusPerNode: g.gpus_per_node,
  };
}

/** The catalog's GPU when it has it, else a built-in default (hardware.ts), else the catalog's did-you-mean error. */
export function resolveGpu(catalog: Catalog, name: string): Hardware {
  try {
    return hardwareFromGpu(findGpu(catalog, name));
  } catch (error) {
    const builtin = builtinGpu(name);
    if (builtin) return builtin;
    throw error;
  }
}

export const resolveModel = (catalog: Catalog, name: string): ModelShape => shapeFromModel(findModel(catalog, name));

export interface HardwareOverrides {
  gpusPerNode?: number;
  networkGBps?: number;
  memoryGiB?: number;
}

export function withOverrides(hw: Hardware, o: HardwareOverrides): Hardware {
  return {
    ...hw,
    ...(o.gpusPerNode !== undefined ? { gpusPerNode: o.gpusPerNode } : {}),
    ...(o.networkGBps !== undefined ? { networkGBps: o.networkGBps } : {}),
    ...(o.memoryGiB !== undefined ? { memoryGiB: o.memoryGiB } : {}),
  };
}
