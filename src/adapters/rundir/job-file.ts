// `<runDir>/job.json`: the JobHandle, so any later process can ask the executor about the job.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { inputError } from '../../core/errors.ts';
import type { JobHandle } from '../executors/types.ts';

export const JOB_FILE = 'job.json';

const handleSchema = z.object({
  executor: z.enum(['local', 'slurm']),
  jobId: z.string().min(1),
  name: z.string(),
  runDir: z.string(),
  submittedAt: z.string(),
  worldSize: z.number().int().positive(),
  logFile: z.string(),
  pid: z.number().int().positive().optional(),
});

export function writeJobHandle(handle: JobHandle): void {
  const file = join(handle.runDir, JOB_FILE);
  writeFileSync(`${file}.tmp`, JSON.stringify(handle, null, 2) + '\n');
  renameSync(`${file}.tmp`, file); // readers never see half a file
}

export function readJobHandle(runDir: string): JobHandle {
  const file = join(runDir, JOB_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw inputError(`cannot read ${file}: ${(error as Error).message}`, {
      code: 'bad-job-file',
      file,
      hint: 'the run directory was not created by trainbench run, or job.json was edited',
    });
  }
  const parsed = handleSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw inputError(`invalid job file: ${issue?.message ?? 'schema mismatch'}`, {
      code: 'bad-job-file',
      file,
      field: issue?.path.join('.') ?? '',
      hint: 'restore job.json as trainbench wrote it',
    });
  }
  const { pid, ...rest } = parsed.data;
  // The directory may have moved since submission: trust where we found it.
  return { ...rest, runDir, ...(pid !== undefined ? { pid } : {}) };
}
