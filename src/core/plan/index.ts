// The planner: memory and step-time model, validity rules, plan search, and validation against published runs.
export type { Dtype, Hardware, ModelShape, Plan, PlanIssue, Recompute, Sharding, Task } from './types.ts';
export { DTYPES, RECOMPUTES, SHARDINGS, TASKS } from './types.ts';
export { modelFlopsPerToken, totalParams, layerParams, loraLayerParams } from './shape.ts';
export { BUILTIN_GPUS, builtinGpu, builtinGpuNames } from './hardware.ts';
export { layerActivationBytes, stageActivations } from './activations.ts';
export { memoryPerGpu, bytesPerParam, FRAMEWORK_OVERHEAD_GIB, DEFAULT_LORA_RANK, type MemoryBreakdown } from './memory.ts';
export { FITTED, START, gpuClass, stackOf, type Calibration } from './calibration.ts';
export { stepTime, type StepTime, type StepBreakdown, type CommPart } from './step-time.ts';
export { validatePlan, type ValidateOptions } from './validate.ts';
export { PublishedRowSchema, toCase, isCase, isTrainingCase, type PublishedCase, type PublishedRow, type SkippedRow } from './published.ts';
export { evaluateCase, fitCalibration, mape, type CaseResult } from './fit.ts';
