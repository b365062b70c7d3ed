// A recipe's published baseline (figures as the seed prints them) as comparable Figures.
import type { Recipe } from '../catalog/index.ts';
import { parsePrinted } from '../catalog/index.ts';
import type { Figures } from './compare.ts';

export function baselineFigures(recipe: Pick<Recipe, 'baseline'>): Figures | undefined {
  const b = recipe.baseline;
  if (!b) return undefined;
  const value = (s: string | undefined) => (s === undefined ? undefined : parsePrinted(s)?.value);
  const mfuPrinted = b.mfu === undefined ? undefined : parsePrinted(b.mfu);
  const figures: Figures = {
    stepTimeS: value(b.step_time_s),
    tokensPerS: value(b.tokens_per_s),
    mfu: mfuPrinted === undefined ? undefined : mfuPrinted.kind === 'percent' ? mfuPrinted.value / 100 : mfuPrinted.value,
    daysToTrain: value(b.days_1t),
  };
  return Object.values(figures).some((v) => v !== undefined) ? figures : undefined;
}
