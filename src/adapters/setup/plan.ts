// What each seed's setup leaves under STAGE_PATH, as data: the directories trainbench creates itself, and the steps
// it cannot do here (container import, clones, gated downloads), as exact shell commands for the user. Pure: no I/O.
// Paths follow the engine renderers (src/core/render/engines), so a launch finds what setup prepared.
import { sq } from '../../core/render/shell.ts';
import type { ClusterProfile } from '../../core/cluster/profile.ts';

export interface SetupStep {
  id: string;
  what: string;
  /** The exact command; secrets appear only as "$HF_TOKEN", read from the user's shell. */
  command: string;
  /** Absolute path that exists once the step is done. */
  creates: string;
}

export interface SetupPlan {
  recipe: string;
  seed: string;
  stage: string;
  /** Stage-relative directories trainbench creates. */
  dirs: string[];
  manual: SetupStep[];
}

export interface SetupRecipe {
  id: string;
  seed: string;
  engine: string;
  seqLen: number;
}

/** `nvidia+nemo+24.09.sqsh` is what `enroot import docker://nvcr.io#nvidia/nemo:24.09` writes. */
export function dockerUriForSqsh(image: string): string | null {
  const m = /([^/+]+)\+([^/+]+)\+([^/+]+)\.sqsh$/.exec(image);
  return m ? `docker://nvcr.io#${m[1]}/${m[2]}:${m[3]}` : null;
}

function containerStep(cluster: ClusterProfile, stage: string): SetupStep {
  const image = cluster.container.image ?? `${stage}/nvidia+nemo+${cluster.env['GSW_VERSION'] ?? '24.09'}.sqsh`;
  const uri = dockerUriForSqsh(image) ?? 'docker://nvcr.io#nvidia/nemo:24.09';
  return {
    id: 'container',
    what: `import the NeMo container into ${image} (needs enroot; run on a node that has it)`,
    command: `enroot import --output ${sq(image)} ${sq(uri)}`,
    creates: image,
  };
}

const hfDownload = (id: string, repo: string, target: string, what: string, extra = '', creates = target): SetupStep => ({
  id,
  what: `${what} (gated: export HF_TOKEN in your shell first; trainbench never stores it)`,
  command: `huggingface-cli download ${sq(repo)}${extra} --local-dir ${sq(target)} --token "$HF_TOKEN"`,
  creates,
});

const clone = (id: string, url: string, target: string, depth = false): SetupStep => ({
  id,
  what: `clone ${url.replace(/^https:\/\/github.com\//, '').replace(/\.git$/, '')}`,
  command: `git clone${depth ? ' --depth 1' : ''} ${sq(url)} ${sq(target)}`,
  creates: target,
});

function launcherCopy(cluster: ClusterProfile, stage: string): SetupStep {
  const image = cluster.container.image ?? `${stage}/nvidia+nemo+${cluster.env['GSW_VERSION'] ?? '24.09'}.sqsh`;
  return {
    id: 'launcher-scripts',
    what: 'copy the NeMo Launcher code out of the container',
    command: `srun -N 1 --container-image=${sq(image)} --container-mounts=${sq(`${stage}:${stage}`)} cp -r /opt/NeMo-Framework-Launcher/launcher_scripts/. ${sq(`${stage}/launcher_scripts/`)}`,
    creates: `${stage}/launcher_scripts/main.py`,
  };
}

/** The stage layout of the recipe's seed; an empty plan for recipes that need none (the reference workload). */
export function setupPlan(recipe: SetupRecipe, cluster: ClusterProfile, stage: string): SetupPlan {
  const seed = recipe.seed.slice(0, 3);
  const s = (rel: string) => `${stage}/${rel}`;
  let dirs: string[] = [];
  let manual: SetupStep[] = [];
  if (seed === '000') {
    dirs = ['HF_ckpt', 'logs'];
    manual = [
      containerStep(cluster, stage),
      clone('megatron-lm', 'https://github.com/NVIDIA/Megatron-LM.git', s('Megatron-LM')),
      clone('nemo', 'https://github.com/NVIDIA/NeMo.git', s('NeMo')),
      { id: 'build-megatron', what: 'build Megatron-LM into the active venv', command: `pip install -e ${sq(s('Megatron-LM'))}`, creates: s('Megatron-LM/megatron_core.egg-info') },
      hfDownload('weights', 'meta-llama/Meta-Llama-3-8B', s('HF_ckpt/models/meta-llama/Meta-Llama-3-8B/hf'), 'download the Llama 3 8B weights into HF_HOME (else the first run does it)'),
    ];
  } else if (seed === '001' || seed === '002') {
    const dataset = seed === '001' ? 'gpt3-dataset' : 'llama3.1-dataset/llama';
    dirs = ['results', dataset, 'launcher_scripts'];
    manual = [containerStep(cluster, stage), launcherCopy(cluster, stage)];
    if (seed === '002') {
      const llama = s('llama3.1-dataset/llama');
      manual.push(hfDownload('tokenizer', 'meta-llama/Meta-Llama-3-8B', llama, 'download the Llama 3 tokenizer files', ' --include "tokenizer*" "*.json"', `${llama}/tokenizer.json`));
    }
    manual.push({
      id: 'dataset',
      what: `generate the dataset into ${s(seed === '001' ? 'gpt3-dataset' : 'llama3.1-dataset')} (the recipe's generate_dataset.sh launches the Slurm jobs)`,
      command: `STAGE_PATH=${sq(stage)} bash ./generate_dataset.sh`,
      creates: s(seed === '001' ? 'gpt3-dataset/my-gpt3_00_text_document.idx' : 'llama3.1-dataset/llama3.1_00_text_document.idx'),
    });
  } else if (seed === '003') {
    dirs = ['llama-factory/cache/huggingface'];
    manual = [
      clone('llama-factory', 'https://github.com/hiyouga/LLaMA-Factory.git', s('llama-factory/LLaMA-Factory'), true),
      {
        id: 'hf-cache-link',
        what: 'point the Hugging Face cache in your home at the stage (as the seed does)',
        command: `mkdir -p ~/.cache && ln -s ${sq(s('llama-factory/cache/huggingface'))} ~/.cache/huggingface`,
        creates: '~/.cache/huggingface',
      },
      hfDownload('weights', 'meta-llama/Meta-Llama-3.1-70B-Instruct', s('llama-factory/cache/huggingface/Meta-Llama-3.1-70B-Instruct'), 'download the Llama 3.1 70B weights'),
    ];
  } else if (seed === '004') {
    const dataset = `bookcorpus_llama3_${Math.round(recipe.seqLen / 1024)}K`;
    dirs = [dataset, 'checkpoints'];
    const workdir = s('nnscaler/examples/llama3_8B_128K');
    manual = [
      clone('nnscaler', 'https://github.com/microsoft/nnscaler.git', s('nnscaler')),
      hfDownload('tokenizer', 'meta-llama/Meta-Llama-3-8B-Instruct', s('Meta-Llama-3-8B-Instruct'), 'download the Llama 3 8B Instruct tokenizer and config'),
      {
        id: 'dataset',
        what: `tokenize bookcorpus into ${s(dataset)} (needs transformers and datasets)`,
        command: `cd ${sq(workdir)} && python bookcorpus.py --data_path_or_name bookcorpus/bookcorpus --tokenizer_path_or_name ${sq(s('Meta-Llama-3-8B-Instruct'))} --save_path ${sq(s(dataset))} --sequence_length ${recipe.seqLen}`,
        creates: s(`${dataset}/dataset_info.json`),
      },
    ];
  }
  return { recipe: recipe.id, seed: recipe.seed, stage, dirs, manual };
}
