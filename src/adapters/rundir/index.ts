export { JOB_FILE, readJobHandle, writeJobHandle } from './job-file.ts';
export { createRunDir, listRuns, resolveRun, trainbenchHome } from './run-dir.ts';
export { countStepLines } from './steps.ts';
export { copyFrom, followLog } from './follow.ts';
