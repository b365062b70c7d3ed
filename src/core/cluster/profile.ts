// A cluster profile: everything site-specific a launch needs (partition, account, GPUs per node, how GPUs are
// requested, container runtime, module lines, environment, stage path), one YAML file per cluster.
import { z } from 'zod';

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a shell variable name');

export const clusterProfileSchema = z
  .object({
    schema_version: z.literal(1),
    name: z.string().min(1),
    description: z.string().optional(),
    partition: z.string().min(1).nullable().default(null),
    account: z.string().min(1).nullable().default(null),
    qos: z.string().min(1).nullable().default(null),
    gpus_per_node: z.number().int().min(0),
    /** How GPUs are asked for: `--gpus-per-node=N`, `--gres=gpu:N`, or not at all (CPU-only / GRES-free clusters). */
    gpu_request: z.enum(['gpus-per-node', 'gres', 'none']),
    constraint: z.string().min(1).nullable().default(null),
    mem: z.string().min(1).nullable().default(null),
    time_limit: z.string().regex(/^(\d+-)?\d{1,2}:\d{2}(:\d{2})?$/, 'use [D-]HH:MM[:SS]').default('01:00:00'),
    container: z
      .object({
        runtime: z.enum(['none', 'pyxis']),
        image: z.string().min(1).nullable().default(null),
        mounts: z.array(z.string().min(1)).default([]),
      })
      .default({ runtime: 'none', image: null, mounts: [] }),
    modules: z.array(z.string().min(1)).default([]),
    /** Extra environment for every job. Secret-looking names are refused: pass secrets through your shell instead. */
    env: z.record(envName, z.string()).default({}),
    /** Names of variables to pass through from the submitting shell (e.g. HF_TOKEN), never written into scripts. */
    pass_env: z.array(envName).default([]),
    stage_path: z.string().min(1),
    python: z.string().min(1).default('python3'),
    /** Shell lines run in the job before the launch (venv activation and the like), written verbatim. */
    setup: z.array(z.string()).default([]),
  })
  .strict();

export type ClusterProfile = z.infer<typeof clusterProfileSchema>;
