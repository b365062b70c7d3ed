import { defineParser } from '../sink.ts';
import { handleNemo2, nemo2State } from './nemo2-fields.ts';
import { applyNemo2Row, applyNemo2Rows } from './nemo2-rows.ts';

export const nemo2Parser = defineParser({
  name: 'nemo2',
  description: 'NeMo 2 (nemo.lightning ProgressPrinter: `Training epoch E, iteration i/N | key: value`)',
  needles: ['Training epoch', 'train_step_timing', 'reduced_train_loss'],
  detect: (head) =>
    head.some((l) => /Training epoch \d+, iteration \d+\/(\d+|\?)/.test(l))
      ? 0.95
      : head.some((l) => /train_step_timing in s[:=]/.test(l) && !/Epoch \d+.*\|/.test(l))
        ? 0.6
        : 0,
  init: nemo2State,
  handle: handleNemo2,
  rows: { kind: 'nemo2', events: false },
  applyRow: applyNemo2Row,
  applyRows: applyNemo2Rows,
});
