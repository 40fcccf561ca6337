/**
 * Freezes a job process's JavaScript intrinsics with `ses`'s `lockdown()` before learner code runs in it,
 * whether it runs a check or a Run: an array, a promise or an error the engine hands the learner is of
 * this process's realm, so without it the learner could patch, through that object's prototype chain,
 * the built-ins the engine and the process's messages to the runtime are made with.
 */
import 'ses';

declare function lockdown(options?: Record<string, string>): void;
declare function harden<T>(value: T): T;

let lockedDown = false;

/** Locks this process's intrinsics down (once), then freezes the `streamlab` API the learner imports. */
export function lockDownFor(api: object): void {
  if (!lockedDown) {
    lockdown({ errorTaming: 'unsafe', overrideTaming: 'moderate', consoleTaming: 'unsafe', stackFiltering: 'verbose', domainTaming: 'unsafe' });
    lockedDown = true;
  }
  harden(api);
}
