import { runExecutorContract } from './executor.contract.ts';
import { createLocalExecutor } from './local.ts';

runExecutorContract('local', { create: () => createLocalExecutor({ graceSeconds: 5 }) });
