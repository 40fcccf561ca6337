/**
 * The instructor's view of each learner, through the websocket protocol: two roster students and the
 * instructor's dashboard socket. A learner's `lesson.progress` (validated like every client message,
 * and refused for a lesson that does not exist) puts their step on the dashboard; the code they send
 * (the editor's, a Run's) is the instructor's to read at `/instructor/code`, and never reaches the
 * other learner, the dashboard's live rows, or any learner's token. A comment the dashboard sends to
 * a plan group (decoded strictly, refused when the group is not one now) reaches each learner of the
 * group as `instructor.comment`, again after a later hello, and no one else.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { resolveConfig } from '../../../runtime/src/config.js';
import { PROTOCOL_VERSION } from '../../../runtime/src/protocol/index.js';
import type { ClassRow, LearnerCode, LessonPlanGroups } from '../../../runtime/src/server/class-activity.js';
import { startRuntimeServer, type RuntimeServer } from '../../../runtime/src/server/runtime-server.js';
import { databaseUrl, kafkaBootstrap } from '../../services/inject.js';
import { TestClient } from './ws-client.js';

const LESSONS = fileURLToPath(new URL('../../../lessons/', import.meta.url));
const LESSON = '03-structured-windows';
const TOKEN = 'learners-token-5f0e2a9c7d31';
const INSTRUCTOR = 'instructor-token-8c4b1e6f2a90';
const ROSTER = { ada: 'ada-token-1e9d4c7b2f05', grace: 'grace-token-6a3f8e1d0c27' };
// Text only one learner's code holds: found anywhere else, it leaked.
const ADA_MARK = 'ada-only-7f3c9e21';
const GRACE_MARK = 'grace-only-2b8d5a64';
const rosterDir = mkdtempSync(join(tmpdir(), 'streamlab-roster-'));
const rosterFile = join(rosterDir, 'roster.csv');
writeFileSync(rosterFile, `# student,token\n${Object.entries(ROSTER).map(([s, t]) => `${s},${t}`).join('\n')}\n`);

let server: RuntimeServer;
let base: string;

beforeAll(async () => {
  server = await startRuntimeServer({
    config: resolveConfig({ port: 0, token: TOKEN, instructorToken: INSTRUCTOR, roster: rosterFile, lessonsDir: LESSONS }),
    services: { kafka: kafkaBootstrap(), pg: databaseUrl() },
  });
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server?.close();
  rmSync(rosterDir, { recursive: true, force: true });
});

/** The dashboard's socket: every `class` message it was sent, and a way to wait for one. */
async function dashboard(): Promise<{ frames: string[]; ws: WebSocket; until(test: (rows: ClassRow[]) => boolean): Promise<ClassRow[]>; close(): void }> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/instructor/ws?token=${INSTRUCTOR}`, { headers: { origin: base } });
  const frames: string[] = [];
  let waiters: { test: (rows: ClassRow[]) => boolean; resolve: (rows: ClassRow[]) => void }[] = [];
  ws.on('message', (data) => {
    frames.push(String(data));
    if ((JSON.parse(String(data)) as { kind: string }).kind !== 'class') return;
    const rows = (JSON.parse(String(data)) as { students: ClassRow[] }).students;
    waiters = waiters.filter((w) => !(w.test(rows) && (w.resolve(rows), true)));
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return {
    frames,
    ws,
    until: (test) => {
      const last = frames.filter((f) => (JSON.parse(f) as { kind: string }).kind === 'class').at(-1);
      const rows = last ? (JSON.parse(last) as { students: ClassRow[] }).students : null;
      if (rows && test(rows)) return Promise.resolve(rows);
      return new Promise((resolve) => waiters.push({ test, resolve }));
    },
    close: () => ws.close(),
  };
}

/** A roster student's socket, after hello. */
async function learner(token: string): Promise<TestClient> {
  const client = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${token}`);
  expect(await client.hello(token, [PROTOCOL_VERSION])).toMatchObject({ kind: 'hello.ok', version: 11 });
  return client;
}

const code = (learnerId: string, token: string) => fetch(`${base}/instructor/code?token=${encodeURIComponent(token)}&learner=${learnerId}`);
const row = (rows: ClassRow[], learnerId: string) => rows.find((r) => r.learner === learnerId)!;

it('shows each learner\'s step and time, and their code to the instructor alone', async () => {
  const watch = await dashboard();
  const ada = await learner(ROSTER.ada);
  const grace = await learner(ROSTER.grace);
  const adaFiles = [{ path: 'solution.ts', content: `// ${ADA_MARK}\nexport const step = 2;\n` }];

  // Malformed or impossible progress is refused like any client message, and changes nothing.
  const progress = { kind: 'lesson.progress' as const, lessonId: LESSON, step: 2, steps: 6, title: 'Step 2: A window per sensor' };
  expect(await ada.request({ ...progress, step: 6 })).toMatchObject({ kind: 'error', code: 'bad-message', message: expect.stringContaining('step must be below steps') });
  expect(await ada.request({ ...progress, files: [{ path: '/etc/passwd.ts', content: 'x' }] })).toMatchObject({ kind: 'error', code: 'bad-message' });
  expect(await ada.request({ ...progress, lessonId: '99-no-such-lesson' })).toMatchObject({ kind: 'error', code: 'not-found', message: 'No lesson "99-no-such-lesson".' });
  ada.sendRaw(JSON.stringify({ ...progress, id: 'x1', student: 'grace' }));
  expect(await ada.waitFor((m) => m.kind === 'error' && m.id === 'x1')).toMatchObject({ code: 'bad-message' });
  expect(row(await watch.until((rows) => row(rows, 'ada').connected), 'ada')).toMatchObject({ step: null, code: null, lessonId: null });

  // Ada moves to step 3 of 6 with her editor's code; Grace is on the first step.
  expect(await ada.request({ ...progress, files: adaFiles })).toEqual({ kind: 'lesson.progress.ok', id: expect.any(String), lessonId: LESSON, step: 2 });
  expect(await grace.request({ ...progress, step: 0, title: 'Read the readings' })).toMatchObject({ kind: 'lesson.progress.ok', step: 0 });
  const rows = await watch.until((r) => row(r, 'ada').step !== null && row(r, 'grace').step !== null);
  expect(row(rows, 'ada')).toMatchObject({
    lessonId: LESSON, step: { lessonId: LESSON, index: 2, count: 6, title: 'Step 2: A window per sensor' },
    code: { lessonId: LESSON, from: 'editor' }, connected: true, connectedMs: 0, connectedSince: expect.any(Number),
  });
  expect(row(rows, 'grace')).toMatchObject({ step: { index: 0, count: 6, title: 'Read the readings' }, code: null });

  // Grace runs her code: a Run brings it too (this program fails at once, which is beside the point).
  const graceFiles = [{ path: 'solution.ts', content: `// ${GRACE_MARK}\nexport function main(): void {\n  throw new Error("not yet");\n}\n` }];
  const run = await grace.request({ kind: 'run.start', lessonId: LESSON, files: graceFiles, mode: 'manual' });
  expect(run).toMatchObject({ kind: 'run.start.ok' });
  await watch.until((r) => row(r, 'grace').code?.from === 'run');

  // The instructor reads each learner's code with the instructor's token.
  const adaCode = await code('ada', INSTRUCTOR);
  expect(adaCode.status).toBe(200);
  expect(await adaCode.json()).toEqual({ learner: 'ada', student: 'ada', lessonId: LESSON, from: 'editor', at: expect.any(Number), files: adaFiles } satisfies LearnerCode);
  expect(await (await code('grace', INSTRUCTOR)).json()).toMatchObject({ learner: 'grace', from: 'run', files: graceFiles });
  expect(await code('nobody', INSTRUCTOR).then((r) => r.status)).toBe(404);

  // No learner's token reads anyone's code: not the shared one, not a student's own, not another's.
  for (const token of [TOKEN, ROSTER.ada, ROSTER.grace, `${INSTRUCTOR}x`, '']) {
    for (const who of ['ada', 'grace']) {
      const res = await code(who, token);
      expect([who, token, res.status]).toEqual([who, token, 401]);
      expect(await res.text()).not.toMatch(new RegExp(`${ADA_MARK}|${GRACE_MARK}`));
    }
  }
  // Nor with the instructor's token from another site's page.
  expect((await fetch(`${base}/instructor/code?token=${INSTRUCTOR}&learner=ada`, { headers: { origin: 'http://evil.example' } })).status).toBe(403);

  // Ada leaves: her time spent is kept, and stops growing.
  await ada.close();
  const left = row(await watch.until((r) => !row(r, 'ada').connected), 'ada');
  expect([left.connectedSince, left.connectedMs > 0]).toEqual([null, true]);

  // Nothing of one learner's code reached the other's socket, nor the dashboard's live rows.
  expect(JSON.stringify(grace.messages)).not.toContain(ADA_MARK);
  expect(JSON.stringify(ada.messages)).not.toContain(GRACE_MARK);
  expect(watch.frames.join('\n')).not.toMatch(new RegExp(`${ADA_MARK}|${GRACE_MARK}`));
  expect([ada.invalid, grace.invalid]).toEqual([[], []]);
  await grace.close();
  watch.close();
});

it('sends the instructor\'s comment to every learner of a plan group, and to no one else', { timeout: 300_000 }, async () => {
  const watch = await dashboard();
  const ada = await learner(ROSTER.ada);
  const grace = await learner(ROSTER.grace);
  const solution = readFileSync(join(LESSONS, LESSON, 'solution.ts'), 'utf8');
  // Both check the lesson's solution: one plan group of two.
  for (const c of [ada, grace]) {
    expect(await c.request({ kind: 'check.run', lessonId: LESSON, files: [{ path: 'solution.ts', content: solution }] })).toMatchObject({ kind: 'check.run.ok' });
  }
  for (const c of [ada, grace]) await c.waitFor((m) => m.kind === 'check.result');
  const groupsOf = () => (JSON.parse(watch.frames.filter((f) => f.includes('"kind":"class"')).at(-1)!) as { groups: LessonPlanGroups[] }).groups;
  await watch.until(() => groupsOf().find((l) => l.lessonId === LESSON)?.groups[0]?.students.length === 2);
  expect(groupsOf().find((l) => l.lessonId === LESSON)!.groups.map((g) => [g.students, g.copies])).toEqual([[['ada', 'grace'], [{ a: 'ada', b: 'grace', similarity: 1 }]]]);

  const reply = (id: string) => new Promise<Record<string, unknown>>((resolve) => {
    const on = (data: WebSocket.RawData) => {
      const m = JSON.parse(String(data)) as Record<string, unknown>;
      if (m.id === id) {
        watch.ws.off('message', on);
        resolve(m);
      }
    };
    watch.ws.on('message', on);
  });
  const send = (m: Record<string, unknown>) => {
    const r = reply(String(m.id));
    watch.ws.send(JSON.stringify(m));
    return r;
  };
  const comment = { kind: 'comment', id: 'c1', lessonId: LESSON, students: ['grace', 'ada'], text: 'Both right: now try 10-second windows.' };
  // Validated like every message: an unknown field, an empty text, not a group now.
  expect(await send({ ...comment, id: 'bad1', to: 'everyone' })).toMatchObject({ kind: 'comment.error', id: 'bad1', message: expect.stringContaining('Not a comment') });
  expect(await send({ ...comment, id: 'bad2', text: '   ' })).toMatchObject({ kind: 'comment.error', id: 'bad2' });
  expect(await send({ ...comment, id: 'bad3', students: ['ada'] })).toEqual({ kind: 'comment.error', id: 'bad3', message: `No group of lesson ${LESSON} has exactly these learners now; look at the groups again.` });
  expect(await send(comment)).toEqual({ kind: 'comment.ok', id: 'c1', commentId: expect.any(String), students: ['ada', 'grace'] });

  const heard = { kind: 'instructor.comment', lessonId: LESSON, text: comment.text, commentId: expect.any(String), at: expect.any(Number) };
  for (const c of [ada, grace]) expect(await c.waitFor((m) => m.kind === 'instructor.comment')).toEqual(heard);
  expect([ada, grace].map((c) => c.messages.filter((m) => m.kind === 'instructor.comment').length)).toEqual([1, 1]);
  // A page opened later (a reload) hears it after hello.
  await grace.close();
  const again = await learner(ROSTER.grace);
  expect(await again.waitFor((m) => m.kind === 'instructor.comment')).toEqual(heard);
  // A learner on the shared token, in no group, hears nothing.
  const guest = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`);
  await guest.hello(TOKEN, [PROTOCOL_VERSION]);
  expect(await guest.request({ kind: 'lessons.list' })).toMatchObject({ kind: 'lessons.list.ok' });
  expect(guest.messages.filter((m) => m.kind === 'instructor.comment')).toEqual([]);
  expect([ada.invalid, again.invalid, guest.invalid]).toEqual([[], [], []]);
  for (const c of [ada, again, guest]) await c.close();
  watch.close();
});
