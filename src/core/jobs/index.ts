export * from './state.ts';
export * from './slurm-state.ts';
export * from './slurm-parse.ts';
export * from './log-markers.ts';
