/**
 * What the instructor's dashboard shows of a class: one row per learner session (the id hello
 * answered), built from the protocol messages that pass through each learner's connection.
 *
 *   hello.ok                   → the row exists; connected while one of its sockets is open
 *   lessons.get / run.start / check.run (lessonId)  → the lesson the learner is on
 *   run.status (state)         → the last run's state and when it changed
 *   check.result (score)       → the last check's points and when it came
 *
 * Nothing here reads learner code or data. Rows stay after a learner leaves (shown as not connected).
 */
import type { ClientMessage, ServerMessage } from '../protocol/index.js';

/** One learner, as the dashboard shows them. */
export interface ClassRow {
  session: string;
  connected: boolean;
  lessonId: string | null;
  run: { state: string; at: number } | null;
  check: { score: number; maxScore: number; passed: number; total: number; at: number } | null;
  lastSeen: number;
}

/** The class's rows, kept up to date; listeners hear of every change. */
export class ClassActivity {
  private readonly rows = new Map<string, ClassRow>();
  private readonly sockets = new Map<string, number>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The rows, the most recently active first. */
  snapshot(): ClassRow[] {
    return [...this.rows.values()].map((r) => ({ ...r })).sort((a, b) => b.lastSeen - a.lastSeen || a.session.localeCompare(b.session));
  }

  /** Calls `fn` after every change; the returned function stops it. */
  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** A socket of `session` opened (after hello). */
  opened(session: string): void {
    this.sockets.set(session, (this.sockets.get(session) ?? 0) + 1);
    this.touch(session, (r) => (r.connected = true));
  }

  /** A socket of `session` closed. */
  closed(session: string): void {
    const n = (this.sockets.get(session) ?? 1) - 1;
    this.sockets.set(session, n);
    this.touch(session, (r) => (r.connected = n > 0));
  }

  /** A request the learner sent. */
  received(session: string, m: ClientMessage): void {
    if ((m.kind === 'lessons.get' || m.kind === 'run.start' || m.kind === 'check.run') && m.lessonId) {
      const lessonId = m.lessonId;
      this.touch(session, (r) => (r.lessonId = lessonId));
    }
  }

  /** A message the runtime sent the learner. */
  sent(session: string, m: ServerMessage): void {
    if (m.kind === 'run.status') this.touch(session, (r) => (r.run = { state: m.state, at: this.now() }));
    else if (m.kind === 'check.result' && typeof m.score === 'number' && typeof m.maxScore === 'number') {
      const check = { score: m.score, maxScore: m.maxScore, passed: m.tests.filter((t) => t.status === 'passed').length, total: m.tests.length, at: this.now() };
      this.touch(session, (r) => {
        r.check = check;
        r.lessonId = m.lessonId;
      });
    }
  }

  private touch(session: string, change: (r: ClassRow) => void): void {
    let row = this.rows.get(session);
    if (!row) this.rows.set(session, (row = { session, connected: false, lessonId: null, run: null, check: null, lastSeen: this.now() }));
    change(row);
    row.lastSeen = this.now();
    for (const fn of this.listeners) fn();
  }
}
