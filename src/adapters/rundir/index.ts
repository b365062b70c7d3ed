export { JOB_FILE, readJobHandle, writeJobHandle } from './job-file.ts';
export { createRunDir, listRuns, resolveRun, trainbenchHome } from './run-dir.ts';
