// A catalog GPU -> the planner's Hardware (bandwidths per GPU, one direction, GB/s).
import type { Gpu } from '../catalog/index.ts';
import type { Hardware } from '../plan/index.ts';

export function hardwareFromGpu(gpu: Gpu): Hardware | undefined {
  const bf16 = gpu.peak_tflops.bf16.value;
  if (bf16 === null) return undefined; // measured at run time (cpu): no static model
  return {
    name: gpu.name,
    peakTflops: { bf16, fp8: gpu.peak_tflops.fp8.value ?? bf16 },
    memoryGiB: ((gpu.memory_gb.value ?? 0) * 1e9) / 2 ** 30,
    hbmTBps: gpu.memory_bandwidth_tbps.value ?? 0,
    nvlinkGBps: gpu.nvlink_gbps_per_direction.value ?? 0,
    networkGBps: (gpu.network_gbit_per_gpu.value ?? 0) / 8,
    gpusPerNode: gpu.gpus_per_node,
  };
}
