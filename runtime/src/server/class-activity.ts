/**
 * What the instructor's dashboard shows of a class: one row per learner, built from the protocol
 * messages that pass through each learner's connection and from the grades of their checks.
 *
 *   a roster (roster.ts)       → a row per student from the start, named by the roster; a learner on
 *                                the shared token gets a row per session (the id hello answered)
 *   hello.ok                   → connected while one of the learner's sockets is open
 *   lessons.get / run.start / check.run (lessonId)  → the lesson the learner is on
 *   run.status (state)         → the last run's state and when it changed
 *   run.error (message)        → the last error, and how many runs in a row ended with it
 *   a graded check.run         → the last check's points, when it came, and the seeds that reproduce it
 *                                (`streamlab grade --seed S --hidden-seed H`; the learner never gets H),
 *                                and the canonical plans its checks built, which group the class; its
 *                                files, whose normalised text flags possible copies within a group
 *                                (copy-detection.ts)
 *   lesson.progress            → the step of the lesson the learner is on, and since when
 *   the files of lesson.progress, run.start, check.run and export.pyspark
 *                              → the learner's current code, kept apart from the rows: the rows say only
 *                                when it changed and where it came from; `code()` gives the files, and
 *                                only the instructor's endpoint asks for them
 *   comment(lesson, group, text) → the instructor's comment to every learner of a plan group: kept per
 *                                learner and said to each of their sockets now and after each hello
 *   sockets opening and closing → time spent: how long any socket of the learner was open
 *   progress                   → opening a lesson for the first time, reaching a step of a lesson further
 *                                than before, or a check of a lesson passing more checks than any before
 *                                it: the page's "stuck" counts from here
 *
 * Nothing here reads learner data. Rows stay after a learner leaves (shown as not connected).
 */
import type { GradeResult } from '../lessons/grade-types.js';
import { normalisedTokens, possibleCopies, similarity, type CopyPair } from '../lessons/copy-detection.js';
import { groupByPlan, type PlanGroup } from '../lessons/plan-groups.js';
import type { ClientMessage, ServerMessage, ServerMessageOf, SourceFile } from '../protocol/index.js';

/** One learner, as the dashboard shows them. */
export interface ClassRow {
  /** The row's identity: the roster student's name, or the session id of a learner on the shared token. */
  learner: string;
  /** The roster's name for the learner; null for a learner on the shared token. */
  student: string | null;
  /** The learner's latest session (null before they connect). */
  session: string | null;
  connected: boolean;
  lessonId: string | null;
  run: { state: string; at: number } | null;
  /** The last run error's message, when it came, and how many errors in a row had this message. */
  error: { message: string; times: number; at: number } | null;
  check: { lessonId: string; score: number; maxScore: number; passed: number; total: number; at: number; seed: number; hiddenSeed: number | null } | null;
  /** How many checks the learner ran. */
  checks: number;
  /** When the learner last made progress (see the file's header); null before anything happened. */
  progressAt: number | null;
  /** When anything of the learner's last happened; null before they connect. */
  lastSeen: number | null;
  /** The step of a lesson the workbench last showed the learner (`index` counts from 0), and since when. */
  step: { lessonId: string; index: number; count: number; title: string; at: number } | null;
  /** Time spent: how long a socket of the learner was open, up to `connectedSince`. */
  connectedMs: number;
  /** Since when a socket of the learner is open without a break; null while none is. */
  connectedSince: number | null;
  /** When the learner's current code last changed and where it came from; its files only through `code()`. */
  code: { lessonId: string | null; from: CodeSource; at: number } | null;
}

/** What brought the runtime a learner's code: the editor (`lesson.progress`), a Run, a Check or an export. */
export type CodeSource = 'editor' | 'run' | 'check' | 'export';

/** A learner's current code, for the instructor alone. */
export interface LearnerCode {
  learner: string;
  student: string | null;
  lessonId: string | null;
  from: CodeSource;
  at: number;
  files: SourceFile[];
}

/** Where the learner is in a lesson, as `lesson.progress` says it (validated by the protocol and the lesson's existence). */
export interface LessonProgress {
  lessonId: string;
  step: number;
  steps: number;
  title: string;
  files?: SourceFile[] | undefined;
}

/** The learners of one lesson grouped by the plans of their last check (plan-groups.ts). */
export interface LessonPlanGroups {
  lessonId: string;
  groups: (PlanGroup & { copies: CopyPair[] })[];
}

/** The code a learner's last check of a lesson graded, normalised for copy detection. */
interface CheckedCode {
  files: SourceFile[];
  at: number;
  tokens: string[];
}

/** The instructor's comment as each learner of the group gets it (protocol 11's `instructor.comment`). */
export type InstructorComment = ServerMessageOf<'instructor.comment'>;

/** Why a comment was not sent: the group the instructor saw is not a group of the lesson now. */
export class CommentRefused extends Error {}

/** The class's rows, kept up to date; listeners hear of every change. */
export class ClassActivity {
  private readonly rows = new Map<string, ClassRow>();
  private readonly sockets = new Map<string, number>();
  /** Which row each session belongs to. */
  private readonly learners = new Map<string, string>();
  /** Per learner and lesson: the most checks one check passed, and the lessons opened. */
  private readonly best = new Map<string, number>();
  /** Each learner's last grade per lesson, for the groups by plan. */
  private readonly grades = new Map<string, Map<string, GradeResult>>();
  /** Each learner's current code. */
  private readonly code = new Map<string, LearnerCode>();
  /** Per learner and lesson: the code their last check graded. */
  private readonly checkedCode = new Map<string, CheckedCode>();
  /** How alike two checked codes are, by both learners, lesson and check times (a pair is compared once). */
  private readonly alike = new Map<string, number>();
  /** Per learner and lesson: the furthest step reached. */
  private readonly furthest = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  /** Each learner's comments from the instructor, oldest first. */
  private readonly comments = new Map<string, InstructorComment[]>();
  /** Per session: the sockets that hear comments as they are written. */
  private readonly commentSinks = new Map<string, Set<(c: InstructorComment) => void>>();
  private commentCount = 0;

  constructor(private readonly now: () => number = Date.now, roster: readonly string[] = []) {
    for (const student of roster) this.rows.set(student, blankRow(student, student));
  }

  /** The rows: connected learners first, then the most recently active, then by name. */
  snapshot(): ClassRow[] {
    return [...this.rows.values()].map((r) => ({ ...r })).sort((a, b) =>
      Number(b.connected) - Number(a.connected) || (b.lastSeen ?? -1) - (a.lastSeen ?? -1) || a.learner.localeCompare(b.learner));
  }

  /** For each lesson some learner checked, the learners grouped by the plans their last check built. */
  planGroups(): LessonPlanGroups[] {
    const byLesson = new Map<string, { student: string; result: GradeResult }[]>();
    for (const [learner, lessons] of this.grades) {
      for (const [lessonId, result] of lessons) {
        if (!byLesson.has(lessonId)) byLesson.set(lessonId, []);
        byLesson.get(lessonId)!.push({ student: learner, result });
      }
    }
    return [...byLesson.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([lessonId, grades]) => ({
      lessonId,
      groups: groupByPlan(grades.sort((a, b) => a.student.localeCompare(b.student))).map((g) => ({ ...g, copies: this.copiesIn(lessonId, g.students) })),
    }));
  }

  /** The pairs of a plan group whose checked code is near-identical once normalised. */
  private copiesIn(lessonId: string, students: readonly string[]): CopyPair[] {
    const members = students.flatMap((student) => {
      const c = this.checkedCode.get(`${student}\0${lessonId}`);
      return c ? [{ student, tokens: c.tokens, at: c.at }] : [];
    });
    return possibleCopies(members, (a, b) => {
      const key = [lessonId, a.student, a.at, b.student, b.at].join('\0');
      let s = this.alike.get(key);
      if (s === undefined) this.alike.set(key, (s = similarity(a.tokens, b.tokens)));
      return s;
    });
  }

  /**
   * The instructor's comment to the learners of one plan group of a lesson, named by its members as the
   * dashboard showed them: refused when they are not exactly a group of the lesson now (someone checked
   * again). Each member keeps it and hears it on every socket; returns the comment and its learners.
   */
  comment(lessonId: string, students: readonly string[], text: string): { comment: InstructorComment; students: string[] } {
    const wanted = [...new Set(students)].sort();
    const group = this.planGroups().find((l) => l.lessonId === lessonId)?.groups.find((g) => g.students.length === wanted.length && [...g.students].sort().every((x, i) => x === wanted[i]));
    if (!group) throw new CommentRefused(`No group of lesson ${lessonId} has exactly these learners now; look at the groups again.`);
    const comment: InstructorComment = { kind: 'instructor.comment', commentId: `comment-${++this.commentCount}`, lessonId, text, at: this.now() };
    for (const learner of group.students) {
      if (!this.comments.has(learner)) this.comments.set(learner, []);
      this.comments.get(learner)!.push(comment);
      for (const [session, l] of this.learners) if (l === learner) for (const sink of this.commentSinks.get(session) ?? []) sink(comment);
    }
    return { comment, students: [...group.students] };
  }

  /** The comments of the session's learner so far; `sink` then hears new ones until the returned function is called. */
  listenForComments(session: string, sink: (c: InstructorComment) => void): { comments: InstructorComment[]; stop: () => void } {
    if (!this.commentSinks.has(session)) this.commentSinks.set(session, new Set());
    this.commentSinks.get(session)!.add(sink);
    const learner = this.learners.get(session) ?? session;
    return {
      comments: [...(this.comments.get(learner) ?? [])],
      stop: () => {
        const sinks = this.commentSinks.get(session);
        sinks?.delete(sink);
        if (sinks?.size === 0) this.commentSinks.delete(session);
      },
    };
  }

  /** The code the learner's last check of the lesson graded, or null. */
  checkedCodeOf(learner: string, lessonId: string): LearnerCode | null {
    const c = this.checkedCode.get(`${learner}\0${lessonId}`);
    const row = this.rows.get(learner);
    return c ? { learner, student: row?.student ?? null, lessonId, from: 'check', at: c.at, files: c.files.map((f) => ({ ...f })) } : null;
  }

  /** Calls `fn` after every change; the returned function stops it. */
  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** A socket of `session` opened (after hello), as the roster's `student` or on the shared token (null). */
  opened(session: string, student: string | null = null): void {
    const learner = student ?? session;
    this.learners.set(session, learner);
    if (!this.rows.has(learner)) this.rows.set(learner, blankRow(learner, student));
    this.sockets.set(session, (this.sockets.get(session) ?? 0) + 1);
    this.touch(session, (r) => {
      if (!r.connected) r.connectedSince = this.now();
      r.connected = true;
      r.session = session;
    });
  }

  /** A socket of `session` closed. */
  closed(session: string): void {
    const n = (this.sockets.get(session) ?? 1) - 1;
    this.sockets.set(session, n);
    const learner = this.learners.get(session);
    // Connected while any socket of any of the learner's sessions is open.
    const open = [...this.learners.entries()].some(([s, l]) => l === learner && (this.sockets.get(s) ?? 0) > 0);
    this.touch(session, (r) => {
      if (r.connected && !open && r.connectedSince !== null) {
        r.connectedMs += Math.max(0, this.now() - r.connectedSince);
        r.connectedSince = null;
      }
      r.connected = open;
    });
  }

  /** The learner's current code (files and where they came from), or null when none reached the runtime. */
  codeOf(learner: string): LearnerCode | null {
    const code = this.code.get(learner);
    return code ? { ...code, files: code.files.map((f) => ({ ...f })) } : null;
  }

  /** The workbench showed the learner a step of a lesson (a `lesson.progress` whose lesson exists). */
  progressed(session: string, p: LessonProgress): void {
    this.touch(session, (r) => {
      const at = this.now();
      r.lessonId = p.lessonId;
      r.step = { lessonId: p.lessonId, index: p.step, count: p.steps, title: p.title, at: r.step?.lessonId === p.lessonId && r.step.index === p.step ? r.step.at : at };
      const key = `${r.learner}\0${p.lessonId}`;
      if (!this.best.has(key)) this.best.set(key, 0);
      // The first step of a lesson opened for the first time, or a step further than any before: progress.
      if (p.step > (this.furthest.get(key) ?? -1)) {
        this.furthest.set(key, p.step);
        r.progressAt = at;
      }
      if (p.files) this.keepCode(r, p.lessonId, 'editor', p.files);
    });
  }

  /** A request the learner sent. */
  received(session: string, m: ClientMessage): void {
    if (m.kind === 'run.start' || m.kind === 'check.run' || m.kind === 'export.pyspark') {
      const from: CodeSource = m.kind === 'run.start' ? 'run' : m.kind === 'check.run' ? 'check' : 'export';
      const files = m.files;
      const lessonId = m.lessonId ?? null;
      this.touch(session, (r) => this.keepCode(r, lessonId, from, files));
    }
    if ((m.kind === 'lessons.get' || m.kind === 'run.start' || m.kind === 'check.run') && m.lessonId) {
      const lessonId = m.lessonId;
      this.touch(session, (r) => {
        r.lessonId = lessonId;
        const key = `${r.learner}\0${lessonId}`;
        if (!this.best.has(key)) {
          this.best.set(key, 0);
          r.progressAt = this.now();
        }
      });
    }
  }

  /** A message the runtime sent the learner. */
  sent(session: string, m: ServerMessage): void {
    if (m.kind === 'run.status') this.touch(session, (r) => (r.run = { state: m.state, at: this.now() }));
    else if (m.kind === 'run.error') {
      this.touch(session, (r) => {
        r.error = { message: m.message, times: r.error?.message === m.message ? r.error.times + 1 : 1, at: this.now() };
      });
    }
  }

  /**
   * A check of `session` was graded: the whole grade, hidden seed included (the learner gets less),
   * with the files it graded and the lesson's starter files (left out when comparing texts).
   */
  checked(session: string, g: GradeResult, code?: { files: readonly SourceFile[]; starter: Readonly<Record<string, string>> }): void {
    this.touch(session, (r) => {
      r.check = { lessonId: g.lessonId, score: g.score, maxScore: g.maxScore, passed: g.passed, total: g.tests.length, at: this.now(), seed: g.seed, hiddenSeed: g.hiddenSeed ?? null };
      r.lessonId = g.lessonId;
      r.checks++;
      const key = `${r.learner}\0${g.lessonId}`;
      if (g.passed > (this.best.get(key) ?? 0) || !this.best.has(key)) {
        this.best.set(key, Math.max(g.passed, this.best.get(key) ?? 0));
        r.progressAt = this.now();
      }
      if (!this.grades.has(r.learner)) this.grades.set(r.learner, new Map());
      // A check whose code built no plan leaves the learner out of that lesson's groups.
      if (g.plans) this.grades.get(r.learner)!.set(g.lessonId, g);
      else this.grades.get(r.learner)!.delete(g.lessonId);
      const codeKey = `${r.learner}\0${g.lessonId}`;
      if (code) {
        const files = code.files.map((f) => ({ path: f.path, content: f.content }));
        this.checkedCode.set(codeKey, { files, at: this.now(), tokens: normalisedTokens(files, code.starter) });
      } else this.checkedCode.delete(codeKey);
    });
  }

  private keepCode(r: ClassRow, lessonId: string | null, from: CodeSource, files: SourceFile[]): void {
    const at = this.now();
    this.code.set(r.learner, { learner: r.learner, student: r.student, lessonId, from, at, files: files.map((f) => ({ path: f.path, content: f.content })) });
    r.code = { lessonId, from, at };
  }

  private touch(session: string, change: (r: ClassRow) => void): void {
    const learner = this.learners.get(session) ?? session;
    let row = this.rows.get(learner);
    if (!row) {
      this.learners.set(session, learner);
      this.rows.set(learner, (row = blankRow(learner, null)));
      row.session = session;
    }
    change(row);
    row.lastSeen = this.now();
    for (const fn of this.listeners) fn();
  }
}

function blankRow(learner: string, student: string | null): ClassRow {
  return { learner, student, session: null, connected: false, lessonId: null, run: null, error: null, check: null, checks: 0, progressAt: null, lastSeen: null, step: null, connectedMs: 0, connectedSince: null, code: null };
}
