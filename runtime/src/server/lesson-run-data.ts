/**
 * A lesson's data for one run, on the runtime's Kafka: the data player of `lessons/data-player.ts`
 * wired to the topics service, plus what the learner can do with the data while the run goes.
 *
 *   prepare()      the lesson's topics exist (with their partitions) → each dataset topic with
 *                  `clearOnRun` is emptied (and named, so the run can start its queries afresh) → the player starts (records due at the clock's start, and
 *                  `play: start` datasets, are in Kafka before the learner's code runs)
 *   advanceTo(T)   manual clock, before the clock moves to T: every record arrived by T is produced
 *   replay(now)    the data again from its first record, moved to the first whole minute at or after
 *                  the run's clock (see `replayShiftMs`), so the story plays again with the same gaps
 *   extra(id, now) one of the lesson's one-button records, its event time relative to the clock
 *   stop()         nothing more is produced
 */
import { resetCheckpoints } from '../checkpoint/learner-checkpoints.js';
import { DataPlayer, type PlayProgress } from '../lessons/data-player.js';
import { extraRecord, replayShiftMs, shiftPlan, type LessonDataPlan } from '../lessons/lesson-data.js';
import { RequestError } from './request-error.js';
import type { TopicsService } from './topics-service.js';

/** Timers of the system-clock schedule (Node's). */
const NODE_TIMERS = {
  setTimeout: (fn: () => void, ms: number): unknown => setTimeout(fn, ms),
  clearTimeout: (handle: unknown): void => clearTimeout(handle as NodeJS.Timeout),
};

/** One run's lesson data. */
/**
 * After `prepare()` emptied `cleared`: the data plays from its first record into emptied topics, so
 * offsets saved in `checkpointDir` by an earlier run point at records that are gone (Spark fails such a
 * query: "Cannot fetch offset …"), and the run's queries start from the beginning too. Resolves with
 * the sentence that tells the learner so, or null when no saved state was forgotten.
 */
export async function forgetStateOfEmptiedTopics(cleared: string[], checkpointDir: string): Promise<string | null> {
  if (cleared.length === 0) return null;
  const removed = await resetCheckpoints(checkpointDir);
  if (removed === 0) return null;
  return `emptied ${cleared.join(', ')} to play the lesson's data from its first record, so ${removed === 1 ? 'the query starts' : `the ${removed} queries start`} from the beginning too, without the saved state of the last run`;
}

export class LessonRunData {
  private player: DataPlayer;
  private stopped = false;

  constructor(
    readonly plan: LessonDataPlan,
    private readonly topics: TopicsService,
    private readonly mode: 'manual' | 'system',
    private readonly onError: (message: string) => void = () => {},
  ) {
    this.player = this.newPlayer(plan);
  }

  private newPlayer(plan: LessonDataPlan): DataPlayer {
    return new DataPlayer(plan, {
      mode: this.mode,
      sink: (records) => this.topics.produceAll(records),
      timers: NODE_TIMERS,
      onProgress: (_p, error) => {
        if (error) this.onError(`The lesson's data could not be produced: ${error.message}`);
      },
    });
  }

  /** Whether a run of a lesson with this plan has data to play (datasets, or topics to make). */
  static plays(plan: LessonDataPlan | null | undefined): plan is LessonDataPlan {
    return Boolean(plan && (plan.datasets.length > 0 || plan.topics.length > 0));
  }

  /** What the run's job needs of the data: the manual clock's start, and the records to play before each advance. */
  jobOptions(): { manualStartMs?: number; beforeAdvance(clockMs: number): Promise<void> } {
    return {
      ...(this.clockStartMs != null ? { manualStartMs: this.clockStartMs } : {}),
      beforeAdvance: (clockMs: number) => this.advanceTo(clockMs).catch(() => undefined),
    };
  }

  /** Where the run's manual clock starts (the lesson's `clock.start`), or null. */
  get clockStartMs(): number | null {
    return this.plan.clockStartMs;
  }

  /** How far the current play has come. */
  progress(): PlayProgress {
    return this.player.progress();
  }

  /** Makes the topics ready and plays what is due at the start; resolves with the topics it emptied. */
  async prepare(): Promise<string[]> {
    await this.topics.ensure(this.plan.topics);
    const cleared = new Set<string>();
    for (const d of this.plan.datasets) {
      if (d.clearOnRun && !cleared.has(d.topic)) {
        cleared.add(d.topic);
        await this.topics.clear(d.topic);
      }
    }
    if (this.stopped) return [...cleared];
    await this.player.start();
    return [...cleared];
  }

  /** Manual clock: produces what has arrived by `clockMs`. */
  advanceTo(clockMs: number): Promise<void> {
    return this.player.advanceTo(clockMs);
  }

  /**
   * Plays the data again from the start, moved so it begins at or after `nowMs`; resolves with how
   * many records the replay plays and how far they were moved.
   */
  async replay(nowMs: number): Promise<{ records: number; shiftMs: number }> {
    if (this.stopped) throw new RequestError('invalid-request', 'The run has ended; start it again to play the data.');
    const shiftMs = replayShiftMs(this.plan, nowMs);
    const shifted = shiftPlan(this.plan, shiftMs);
    this.player.stop();
    this.player = this.newPlayer({ ...shifted, clockStartMs: this.mode === 'manual' ? nowMs : shifted.clockStartMs });
    await this.player.start();
    return { records: this.player.total, shiftMs };
  }

  /** Produces the lesson's extra `extraId` as the clock reads `nowMs`. */
  async extra(extraId: string, nowMs: number): Promise<{ topic: string; key: string | null; value: string; eventTimeMs: number | null }> {
    const extra = this.plan.extras.find((x) => x.id === extraId);
    if (!extra) {
      const known = this.plan.extras.map((x) => x.id);
      throw new RequestError('not-found', `This lesson has no extra record "${extraId}"${known.length ? `; it has ${known.join(', ')}` : ''}.`);
    }
    const record = extraRecord(extra, nowMs);
    await this.topics.produceAll([{ topic: record.topic, key: record.key, value: record.value, ...(this.mode === 'manual' ? { timestampMs: nowMs } : {}) }]);
    return record;
  }

  /** Stops playing. */
  stop(): void {
    this.stopped = true;
    this.player.stop();
  }
}
