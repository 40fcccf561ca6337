import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );
}

describe('custom elements', () => {
  it('use the sl- prefix and live in a file named after their tag', () => {
    const defined = sources(src).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/@customElement\('([^']+)'\)/g)].map((m) => [m[1], basename(file, '.ts')]),
    );
    expect(defined.map(([tag]) => tag).sort()).toEqual([
      'sl-app', 'sl-batch-table', 'sl-checks-panel', 'sl-connection-status', 'sl-database-panel', 'sl-editor', 'sl-latency-panel', 'sl-lesson-list',
      'sl-lesson-view', 'sl-metrics-panel', 'sl-no-token', 'sl-output-panel', 'sl-panels', 'sl-run-controls', 'sl-serving-panel', 'sl-session',
      'sl-step-outline', 'sl-timeline', 'sl-topics-panel',
    ]);
    for (const [tag, file] of defined) {
      expect(tag).toMatch(/^sl-[a-z]+(-[a-z]+)*$/);
      expect(file).toBe(tag);
    }
  });
});
