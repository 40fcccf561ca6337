/**
 * Where one grading run keeps what it makes on the runtime's services, and how that is removed.
 *
 *   namespace      := check-<hex>                 (one per grading run; the Check's id)
 *   schema, role   := check_<hex>_<world hex>     (one per sandbox, in the checks database; see check-database.ts)
 *
 * The grader hands the namespace to the check process in `STREAMLAB_CHECK_NAMESPACE`. A check closes
 * its sandboxes' schemas and roles itself; when the run ends, however it ends (passed, failed, timed
 * out and killed), the grader drops whatever of the namespace is left. Checks write Kafka only to an
 * in-memory cluster of their own, so the learner's broker never holds a check's topic; a `check-<hex>.`
 * topic (an older runtime's) is not listed in the learner's Topics panel all the same.
 */
import { randomBytes } from 'node:crypto';

/** Env variable naming the grading run's namespace. */
export const CHECK_NAMESPACE_ENV = 'STREAMLAB_CHECK_NAMESPACE';

/** A grading run's namespace. */
const NAMESPACE = /^check-[0-9a-f]{4,32}$/;

/** Topics of a check (hidden from the learner's Topics panel). */
export const CHECK_TOPIC = /^check-[0-9a-f]+\./;

/** A fresh namespace. */
export function newCheckNamespace(): string {
  return `check-${randomBytes(4).toString('hex')}`;
}

/** The namespace from the environment, when it is a well-formed one. */
export function checkNamespaceFrom(env: Readonly<Record<string, string | undefined>>): string | null {
  const ns = env[CHECK_NAMESPACE_ENV];
  return ns && NAMESPACE.test(ns) ? ns : null;
}

/** The prefix of every schema and role of a namespace. */
export function checkSchemaPrefix(namespace: string): string {
  if (!NAMESPACE.test(namespace)) throw new Error(`not a check namespace: ${namespace}`);
  return `check_${namespace.slice('check-'.length)}_`;
}

/** The name of one sandbox's schema and role: in the namespace when there is one. */
export function checkSchemaName(namespace: string | null): string {
  const world = randomBytes(6).toString('hex');
  return namespace ? `${checkSchemaPrefix(namespace)}${world}` : `check_${world}`;
}
