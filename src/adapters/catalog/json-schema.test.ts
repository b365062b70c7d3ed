import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { catalogJsonSchemas } from '../../core/catalog/json-schema.ts';
import { defaultDataDir } from './index.ts';

// Regenerate with: TRAINBENCH_UPDATE_SCHEMAS=1 npx vitest run src/adapters/catalog/json-schema.test.ts
it('data/schema/*.json match the zod schemas', () => {
  const dir = join(defaultDataDir(), 'schema');
  for (const [name, schema] of Object.entries(catalogJsonSchemas())) {
    const text = JSON.stringify(schema, null, 2) + '\n';
    if (process.env.TRAINBENCH_UPDATE_SCHEMAS === '1') {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    expect(readFileSync(join(dir, name), 'utf8'), `${name} is stale: regenerate it`).toBe(text);
  }
});
