/** The published JSON Schema of the lesson front matter: current with the zod schema, and saying what it says. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LESSON_SCHEMA_FILE, lessonFrontMatterJsonSchema } from '../../../runtime/src/lessons/lesson-json-schema.js';
import { lessonApi } from '../../../runtime/src/protocol/common.js';

const published = readFileSync(new URL(`../../../${LESSON_SCHEMA_FILE}`, import.meta.url), 'utf8');

describe('the lesson front matter JSON Schema', () => {
  it('is current with the zod schema (npm run generate rewrites it)', () => {
    expect(published).toBe(lessonFrontMatterJsonSchema());
  });

  it('describes what an author writes: the required fields, the one api enum, points by kebab-case check id, instants as strings', () => {
    const schema = JSON.parse(published);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual(['title', 'summary', 'api', 'duration']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.api.enum).toEqual(lessonApi.options);
    expect(schema.properties.points.propertyNames.pattern).toBe('^[a-z0-9]+(-[a-z0-9]+)*$');
    expect(schema.properties.points.additionalProperties).toMatchObject({ type: 'integer', exclusiveMinimum: 0 });
    expect(schema.properties.clock.properties.start.anyOf[1]).toEqual({ type: 'string', format: 'date-time' });
    expect(schema.properties.topics.items.anyOf.map((t: { type: string }) => t.type)).toEqual(['string', 'object']);
  });
});
