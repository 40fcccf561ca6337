/**
 * Attributes and supervision, as in Pekko: `withAttributes(ActorAttributes.supervisionStrategy(
 * Supervision.resumingDecider))` on a Source, Flow or Sink applies to every operator inside it unless an
 * operator has its own (the most specific attribute wins).
 */

/** What a decider answers for an exception thrown by user code inside an operator. */
export type Directive = 'stop' | 'resume' | 'restart';

/** Pekko's `Supervision.Decider`. */
export type Decider = (error: unknown) => Directive;

/** Pekko's `Supervision`: directives and the standard deciders. */
export const Supervision = Object.freeze({
  /** Fail the stream with the exception (the default). */
  stop: 'stop' as Directive,
  /** Drop the element that caused the exception and continue. */
  resume: 'resume' as Directive,
  /** Drop the element, clear the operator's accumulated state, and continue. */
  restart: 'restart' as Directive,
  Stop: 'stop' as Directive,
  Resume: 'resume' as Directive,
  Restart: 'restart' as Directive,
  stoppingDecider: (() => 'stop') as Decider,
  resumingDecider: (() => 'resume') as Decider,
  restartingDecider: (() => 'restart') as Decider,
  getStoppingDecider: (): Decider => () => 'stop',
  getResumingDecider: (): Decider => () => 'resume',
  getRestartingDecider: (): Decider => () => 'restart',
});

/** One attribute. */
export type Attribute =
  | { kind: 'name'; name: string }
  | { kind: 'supervision'; decider: Decider }
  | { kind: 'inputBuffer'; initial: number; max: number };

/** An immutable list of attributes; later entries are more specific. */
export class Attributes {
  static readonly none = new Attributes([]);

  constructor(readonly list: readonly Attribute[]) {}

  /** Pekko's `Attributes.name(n)`. */
  static name(name: string): Attributes {
    return new Attributes([{ kind: 'name', name }]);
  }

  /** Pekko's `Attributes.inputBuffer(initial, max)`. */
  static inputBuffer(initial: number, max: number): Attributes {
    return new Attributes([{ kind: 'inputBuffer', initial, max }]);
  }

  /** Both lists; `other` is more specific. */
  and(other: Attributes): Attributes {
    if (other.list.length === 0) return this;
    if (this.list.length === 0) return other;
    return new Attributes([...this.list, ...other.list]);
  }

  /** The most specific attribute of a kind. */
  get<K extends Attribute['kind']>(kind: K): Extract<Attribute, { kind: K }> | undefined {
    for (let i = this.list.length - 1; i >= 0; i--) {
      const a = this.list[i]!;
      if (a.kind === kind) return a as Extract<Attribute, { kind: K }>;
    }
    return undefined;
  }

  /** The name, or a default. */
  nameOrDefault(fallback: string): string {
    return this.get('name')?.name ?? fallback;
  }

  /** The supervision decider (stopping by default). */
  get decider(): Decider {
    return this.get('supervision')?.decider ?? Supervision.stoppingDecider;
  }
}

/** Pekko's `ActorAttributes`. */
export const ActorAttributes = Object.freeze({
  /** Decides what an operator does when user code in it throws (or a future fails). */
  supervisionStrategy(decider: Decider): Attributes {
    if (typeof decider !== 'function') throw new TypeError('ActorAttributes.supervisionStrategy: expected a decider function, e.g. Supervision.resumingDecider');
    return new Attributes([{ kind: 'supervision', decider }]);
  },
  withSupervisionStrategy(decider: Decider): Attributes {
    return ActorAttributes.supervisionStrategy(decider);
  },
});
