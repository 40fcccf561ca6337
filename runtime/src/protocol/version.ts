/**
 * Protocol versions. The client sends every version it speaks in `hello`; the server answers with the
 * highest one both sides know. Both sides decode strictly (an unknown field or kind is an invalid
 * message), so anything new the server sends — an optional field, a message kind, a new shape — bumps
 * the version, and the server keeps the older versions it supports by leaving the new parts out, or
 * rebuilding the older shape, for clients that negotiated them (`serverMessageForVersion`). The same
 * holds the other way: a client may send what a version added only once that version is negotiated.
 *
 *   1  the first protocol
 *   2  `run.query` (each started query's trigger) and `run.batch.schema` (the output columns' types)
 *   3  `check.status` (queued, running) and graded checks: each check's id, points, line and row diff, the
 *      score and the seed of the random cases in `check.result`
 *   4  `run.batch` typed and tagged by `api`: Spark's progress and the structured trace, or the DStream
 *      trace; the watermark and event times travel once, in the trace, in epoch ms
 *   5  the `queued` run state with `run.status.ahead` (runs wait for a free slot on a busy runtime), and
 *      `checkpoints.reset` (forget the saved state of a lesson's queries)
 *   6  `run.latency` (each pipeline's latency from produce to sink, and its start-up time) and `run.crash`
 *      (kill a run's queries between a batch's write and its commit)
 *   7  a lesson's data: `lessons.get.ok`'s `lesson.data` (its topics with their partitions, where the manual
 *      clock starts, how many records Run plays, and its extra records); `run.replay` (play the run's lesson
 *      data again from its first record, moved to the first whole minute at or after the run's clock);
 *      `run.extra` (send one of the lesson's extra records, e.g. "a late reading", its event time relative
 *      to the run's clock); `topics.clear` (empty a topic, keeping its partitions). Opening a lesson
 *      (`lessons.get`) creates its topics; a `run.start` naming the lesson starts the manual clock at the
 *      lesson's time and plays its data in: on the manual clock each record when the clock reaches its
 *      arrival, on the system clock at the lesson's rate
 *   8  the DStream trace's inputs list the batch's first records (`sample`: each one's key and its `pprint`
 *      text), so a batch's records can be drawn in the lanes of their keys
 *   9  the `run.status` repeated after `hello.ok` for each live run says the run's clock `mode`, its manual
 *      clock's time (`clockMs`) and its `lessonId`, so a reloaded page takes up a manual-clock run as one
 *  10  `lesson.progress` (the step of a lesson the learner is on, and the code in the editor, for the
 *      instructor's dashboard)
 *  11  `instructor.comment` (the instructor's comment to the learners of a plan group, in the lesson)
 *
 * The workbench is served by the runtime it talks to, so it offers only `PROTOCOL_VERSION`; the older
 * versions are kept for tabs opened before the runtime was upgraded.
 */

/** The protocol version this build speaks natively. */
export const PROTOCOL_VERSION = 11;

/** Every protocol version this build can still speak, oldest first. */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

/** Largest text frame the server accepts, in bytes; larger frames close the socket with code 1009. */
export const MAX_FRAME_BYTES = 1024 * 1024;

/**
 * Picks the highest version both sides speak, or `null` when there is none.
 * @param offered versions the client offers, in any order
 * @param supported versions this side speaks
 */
export function negotiateVersion(offered: readonly number[], supported: readonly number[] = SUPPORTED_PROTOCOL_VERSIONS): number | null {
  let best: number | null = null;
  for (const v of offered) {
    if (supported.includes(v) && (best === null || v > best)) best = v;
  }
  return best;
}
