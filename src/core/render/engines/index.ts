import { usageError } from '../../errors.ts';
import { didYouMean } from '../../suggest.ts';
import { llamafactoryRenderer } from './llamafactory.ts';
import { megatronRenderer } from './megatron.ts';
import { nemo1Renderer } from './nemo1.ts';
import { nemo2Renderer } from './nemo2.ts';
import { nnscalerRenderer } from './nnscaler.ts';
import { torchtitanRenderer } from './torchtitan.ts';
import type { EngineName, EngineRenderer } from './types.ts';
import { workloadRenderer } from './workload.ts';

export type { EngineName, EngineRenderer, LaunchInput, LaunchModel, RenderedFile, RenderedLaunch } from './types.ts';

export const renderers: Record<EngineName, EngineRenderer> = {
  nemo1: nemo1Renderer,
  nemo2: nemo2Renderer,
  megatron: megatronRenderer,
  llamafactory: llamafactoryRenderer,
  nnscaler: nnscalerRenderer,
  torchtitan: torchtitanRenderer,
  workload: workloadRenderer,
};

export function rendererFor(engine: string): EngineRenderer {
  const renderer = (renderers as Record<string, EngineRenderer | undefined>)[engine];
  if (!renderer) {
    throw usageError(`unknown engine '${engine}'`, { code: 'unknown-engine', hint: didYouMean(engine, Object.keys(renderers)) });
  }
  return renderer;
}
