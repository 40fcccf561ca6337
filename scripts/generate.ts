/**
 * Writes the files generated from the code: the `functions` facade and the functions page from the
 * function registry, and the lesson front matter's JSON Schema from its zod schema. `npm run generate`; a unit test fails when a checked-in copy is stale.
 */
import { writeFileSync } from 'node:fs';
import { generatedFiles } from './generate/files.js';

for (const f of generatedFiles()) {
  writeFileSync(f.path, f.text);
  console.log(`wrote ${f.relative}`);
}
