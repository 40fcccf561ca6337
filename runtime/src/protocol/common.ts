/**
 * Building blocks shared by client and server messages.
 */
import { z } from 'zod';

/** Request id chosen by the client; the server copies it into the reply. */
export const requestId = z.string().min(1).max(64);

/** One learner source file. Paths are relative, forward-slashed, and end in `.ts`. */
export const sourceFile = z.object({
  path: z.string().min(1).max(200).regex(/^(?!\/)(?!.*\.\.)[A-Za-z0-9_\-./]+\.ts$/, 'a relative path ending in .ts'),
  content: z.string().max(512 * 1024),
});
/** One learner source file. */
export type SourceFile = z.infer<typeof sourceFile>;

/** The learner's files for a run; the first one is the entry point unless `entry` names another. */
export const sourceFiles = z.array(sourceFile).min(1).max(50);

/** Kafka topic names as Kafka accepts them. */
export const topicName = z.string().min(1).max(249).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" or "-"');

/** The streaming APIs a pipeline is written in; batch traces, batch events and conformance scenarios are tagged with one. */
export const streamingApi = z.enum(['structured', 'dstream']);
/** A streaming API. */
export type StreamingApi = z.infer<typeof streamingApi>;

/** What a lesson teaches: a streaming API, or Kafka's clients alone. Lesson front matter and lesson summaries use it. */
export const lessonApi = z.enum([...streamingApi.options, 'kafka']);
/** What a lesson teaches. */
export type LessonApi = z.infer<typeof lessonApi>;

/** Clock mode of a run: the wall clock, or a manual clock advanced by `run.step`. */
export const clockMode = z.enum(['system', 'manual']);
/** Clock mode of a run. */
export type ClockMode = z.infer<typeof clockMode>;

/** Lifecycle of a run as the client sees it; `queued` (protocol 5) while it waits for a free slot on the machine. */
export const runState = z.enum(['queued', 'compiling', 'starting', 'running', 'idle', 'stopping', 'stopped', 'finished', 'failed']);
/** Lifecycle of a run. */
export type RunState = z.infer<typeof runState>;

/** Stable error codes of error replies. */
export const errorCode = z.enum([
  'bad-json', 'bad-message', 'unknown-kind', 'binary-frame', 'hello-required', 'unauthorized',
  'version-mismatch', 'not-found', 'not-implemented', 'busy', 'unavailable', 'invalid-request', 'internal',
]);
/** Stable error codes of error replies. */
export type ErrorCode = z.infer<typeof errorCode>;

/** A JSON value (rows, progress and traces are plain JSON on the wire). */
export const jsonValue: z.ZodType<unknown> = z.unknown();
