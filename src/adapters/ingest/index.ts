// Log ingestion door: a file or a run directory -> ParsedLog, streamed in constant memory.
import { stat } from 'node:fs/promises';
import { inputError } from '../../core/errors.ts';
import { findLogFile } from './find-log.ts';
import type { LogChoice } from './find-log.ts';
import { parseFile } from './parse-file.ts';
import type { ParsedLog, ParseFileOptions } from './parse-file.ts';

export { forEachLine } from './lines.ts';
export { findLogFile, rankOf } from './find-log.ts';
export { parseFile, resolveFormat } from './parse-file.ts';
export type { LogChoice } from './find-log.ts';
export type { ParsedLog, ParseFileOptions } from './parse-file.ts';

export interface ParsedPath extends ParsedLog {
  /** Set when a directory was given: which file was picked and why. */
  choice?: LogChoice;
}

/** A log file, or a directory in which the training log is found first. */
export async function parsePath(path: string, options: ParseFileOptions = {}): Promise<ParsedPath> {
  const s = await stat(path).catch(() => undefined);
  if (!s) {
    throw inputError(`no such file or directory: ${path}`, { code: 'log-not-found', file: path, hint: 'check the path' });
  }
  if (s.isFile()) return parseFile(path, options);
  if (!s.isDirectory()) {
    throw inputError(`${path} is neither a file nor a directory`, { code: 'log-not-a-file', file: path, hint: 'pass a log file or a run directory (devices and pipes are not read)' });
  }
  const choice = await findLogFile(path);
  return { ...(await parseFile(choice.file, options)), choice };
}
