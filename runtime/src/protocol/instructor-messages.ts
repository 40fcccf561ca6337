/**
 * What the instructor's dashboard may send on its socket (`/instructor/ws`), decoded as strictly as a
 * learner's messages: one kind, `comment`, to the learners of one plan group of a lesson, named by their
 * rows as the dashboard showed them.
 *
 *   → { kind: 'comment', id, lessonId, students: [row, …], text }
 *   ← { kind: 'comment.ok', id, commentId, students: [row, …] }   every learner of the group has it
 *   ← { kind: 'comment.error', id, message }                        not a comment (id null when it has
 *                                                                    none), or not a group of the lesson now
 */
import { z } from 'zod';

export const instructorComment = z.strictObject({
  kind: z.literal('comment'),
  id: z.string().min(1).max(64),
  lessonId: z.string().min(1).max(200),
  students: z.array(z.string().min(1).max(200)).min(1).max(1000),
  text: z.string().trim().min(1).max(2000),
});

/** A message the dashboard sends. */
export type InstructorMessage = z.infer<typeof instructorComment>;

/** The message, or why it is not one. */
export function decodeInstructorMessage(text: string): { ok: true; message: InstructorMessage } | { ok: false; id: string | null; message: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, id: null, message: 'Not JSON.' };
  }
  const parsed = instructorComment.safeParse(value);
  const id = typeof value === 'object' && value !== null && 'id' in value && typeof value.id === 'string' && value.id.length <= 64 ? value.id : null;
  return parsed.success ? { ok: true, message: parsed.data } : { ok: false, id, message: `Not a comment: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; ')}` };
}
