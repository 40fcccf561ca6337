/**
 * A run given a data folder reads CSV files from it in its sandboxed job process (relative paths
 * resolve inside it), and nothing outside it: a path that leads out of the folder does not exist as
 * far as the learner's code can tell.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLimitsSchema } from '../../../runtime/src/config.js';
import { JobRun } from '../../../runtime/src/jobs/job-run.js';
import type { ServerEvent } from '../../../runtime/src/protocol/index.js';

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'streamlab-data-folder-'));
  mkdirSync(join(work, 'lake', 'dax'), { recursive: true });
  writeFileSync(join(work, 'lake', 'dax', '2020-03-02.csv'), 'date,close\n2020-03-02,11857.87\n');
  writeFileSync(join(work, 'lake', 'dax', '2020-03-03.csv'), 'date,close\n2020-03-03,11985.39\n');
  writeFileSync(join(work, 'secret.csv'), 'a\nkept out\n');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs `body` in main() with the lake as data folder; the run's log lines and its error, if any. */
async function run(body: string): Promise<{ logs: string[]; error: string | null }> {
  const events: ServerEvent[] = [];
  const code = `import { SparkSession } from "streamlab";\nexport function main(): void {\n  const spark = SparkSession.builder.getOrCreate();\n  ${body}\n}\n`;
  const job = new JobRun({
    runId: 'r1', files: [{ path: 'main.ts', content: code }], mode: 'manual', maxRows: 100,
    limits: runLimitsSchema.parse({}), services: {}, dataDir: join(work, 'lake'),
    onEvent: (e) => events.push(e),
  });
  await job.start();
  while (!job.isOver()) await new Promise((r) => setTimeout(r, 50));
  const logs = events.flatMap((e) => (e.kind === 'run.log' ? [e.text] : []));
  const err = events.find((e) => e.kind === 'run.error');
  return { logs, error: err && err.kind === 'run.error' ? err.message : null };
}

describe('a run with a data folder', () => {
  it('reads the CSV files in it', async () => {
    const r = await run('console.log(JSON.stringify(spark.read.csv("dax", { schema: "date STRING, close DOUBLE", header: true }).collect()));');
    expect(r.error).toBeNull();
    expect(r.logs).toEqual(['[{"date":"2020-03-02","close":11857.87},{"date":"2020-03-03","close":11985.39}]']);
  });

  it('reads nothing outside it', async () => {
    for (const path of ['../secret.csv', join(work, 'secret.csv')]) {
      const r = await run(`spark.read.csv(${JSON.stringify(path)}).collect();`);
      expect(r.error, path).toContain('[PATH_NOT_FOUND] Path does not exist');
    }
  });
});
