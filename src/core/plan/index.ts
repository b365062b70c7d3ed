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
export { PublishedRowSchema, parsePublishedJsonl, toCase, isCase, isTrainingCase, type PublishedCase, type PublishedRow, type SkippedRow } from './published.ts';
export { evaluateCase, fitCalibration, mape, validationReport, type CaseResult, type ValidationReport } from './fit.ts';
export { searchPlans, planLabel, type SearchInput, type SearchResult, type RankedPlan } from './search.ts';
export { explainBest, savings } from './explain.ts';
export { shapeFromModel, hardwareFromGpu, resolveGpu, resolveModel, withOverrides, type HardwareOverrides } from './from-catalog.ts';
export { renderSearch, renderValidation, renderRanked, renderBreakdown } from './render.ts';
export { PredictRowSchema, resolvePredictRow, splitRows, type PredictRow, type RowIssue, type ResolvedRow, type Lookups } from './predict-row.ts';
