/**
 * How much learner-made text a check process hands the harness. The learner's code decides what it
 * prints and what its flow fails with, so both are cut in the check process (Node's job process and
 * the browser's check worker) and their replies are refused by the harness past these lengths: a
 * submission cannot fill the grader's memory, the grade report or the workbench's Checks panel.
 */

/** Most characters the `output` reply holds: what was printed since the last read, cut, and the note saying how much more there was. */
export const MAX_PRINTED_CHARS = 1_000_000;

/** Most characters the `output` reply's note about dropped text takes. */
export const MAX_PRINTED_NOTE_CHARS = 200;

/** Most characters of a flow's failure (the first line of its error) the `flowFailure` reply holds. */
export const MAX_FLOW_FAILURE_CHARS = 500;
