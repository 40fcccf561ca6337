/**
 * What every connection shares: configuration, the token, services and the session table.
 */
import type { RuntimeConfig } from '../config.js';
import type { JobServices } from '../jobs/ipc.js';
import type { LessonsService } from './lessons-service.js';
import type { Session } from './session.js';
import type { ClassActivity } from './class-activity.js';
import type { TopicsService } from './topics-service.js';

/** Shared state of one runtime server. */
import type { CheckQueue } from '../lessons/check-queue.js';

export interface ServerContext {
  readonly config: RuntimeConfig;
  readonly token: string;
  /** Who a learner token is: a roster student's name, null for the shared token, undefined when refused. */
  learnerOf(given: unknown): string | null | undefined;
  readonly version: string;
  readonly lessons: LessonsService;
  readonly topics: TopicsService;
  /** Checks waiting for and holding the runtime's grading slots. */
  readonly checks: CheckQueue;
  /** The session with this id, or a new one (ids are only honoured while their session lives). */
  sessionFor(id: string | undefined): Session;
  /** The services runs and checks use (waits for services still starting). */
  services(): Promise<JobServices>;
  /** What the instructor's dashboard shows of the learners' connections (absent: nothing is kept). */
  readonly activity?: ClassActivity;
  /** Optional capabilities announced in hello (waits for services still starting). */
  features(): Promise<string[]>;
}
