/**
 * The lesson front matter schema as JSON Schema, generated from the zod schema that validates it
 * (lesson-schema.ts), for editors and other tools that check a `lesson.md` without this code. The
 * published copy is `docs/lesson-front-matter.schema.json` (`npm run generate`; a unit test fails when
 * it is stale).
 *
 * It describes what an author writes (zod's input side: defaults make fields optional, a topic may be
 * a bare name). Rules that need the code stay in zod alone: a generator's options, a dataset's topic
 * being among the lesson's topics, and the points matching the checks of `check.test.ts`.
 */
import { z } from 'zod';
import { lessonFrontMatter } from './lesson-schema.js';

/** Where the published copy lives, from the repository root. */
export const LESSON_SCHEMA_FILE = 'docs/lesson-front-matter.schema.json';

/** The JSON Schema of a lesson's front matter, as the text of the published file. */
export function lessonFrontMatterJsonSchema(): string {
  const schema = z.toJSONSchema(lessonFrontMatter, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
    // YAML reads an unquoted instant (2026-11-21T10:00:00Z) as a date; in JSON it is the string.
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema._zod.def.type === 'date') Object.assign(jsonSchema, { type: 'string', format: 'date-time' });
    },
  });
  const published = {
    $schema: schema.$schema,
    title: 'Streamlab lesson front matter',
    description: 'The YAML front matter of a lesson\'s lesson.md (generated from runtime/src/lessons/lesson-schema.ts).',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
  return `${JSON.stringify(published, null, 2)}\n`;
}
