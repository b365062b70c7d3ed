// Synthetic JSONL corpus for the data benchmark: English-like words with punctuation, digits and some non-ASCII,
// documents of 20 to 4,000 words, reproducible from a seed. Written in 8 MB pieces so memory stays flat.
import { openSync, writeSync, closeSync } from 'node:fs';
import { seededRandom } from '../../src/core/seeded-random.ts';

const words = (
  'the of and to in a is that for it as was with be by on not he this are or his from at which but have an they ' +
  'you were her she there been one all we their has would when if so no will more out up into do about than them ' +
  'can only other time new some could these two may first then any like now my such make over our even most me ' +
  'training model tokens throughput gradient parallel pipeline tensor sequence attention memory cluster node GPU ' +
  'données modèle entraînement Größe Übung naïve café résumé 東京 数据 模型 训练 Москва данные обучение'
).split(' ');

/** Writes about `megabytes` MB of `{"text": ...}` lines; returns the document count and bytes written. */
export function writeCorpus(path: string, megabytes: number, seed = 1): { documents: number; bytes: number } {
  const random = seededRandom(seed);
  const fd = openSync(path, 'w');
  const target = megabytes * 1e6;
  let bytes = 0;
  let documents = 0;
  let piece: string[] = [];
  let pieceBytes = 0;
  while (bytes + pieceBytes < target) {
    const length = 20 + Math.floor(random() ** 2 * 4000);
    const parts: string[] = [];
    for (let i = 0; i < length; i++) {
      let word = words[Math.floor(random() * words.length)]!;
      const r = random();
      if (r < 0.06) word += '.';
      else if (r < 0.1) word += ',';
      else if (r < 0.12) word = String(Math.floor(random() * 100000));
      else if (r < 0.13) word += '\n';
      parts.push(word);
    }
    const line = JSON.stringify({ text: parts.join(' '), id: documents }) + '\n';
    piece.push(line);
    pieceBytes += Buffer.byteLength(line);
    documents++;
    if (pieceBytes > 8e6) {
      const buffer = Buffer.from(piece.join(''));
      writeSync(fd, buffer);
      bytes += buffer.length;
      piece = [];
      pieceBytes = 0;
    }
  }
  const rest = Buffer.from(piece.join(''));
  writeSync(fd, rest);
  bytes += rest.length;
  closeSync(fd);
  return { documents, bytes };
}
