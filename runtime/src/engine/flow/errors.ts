/**
 * Exceptions of the flow API, with Pekko Streams' names and messages, so a learner can look them up.
 */

/** Pekko's `BufferOverflowException`: a `buffer(n, OverflowStrategy.fail)` (or a queue) was full. */
export class BufferOverflowException extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BufferOverflowException';
  }
}

/** Pekko's `RateExceededException`: an `Enforcing` throttle saw more than its rate. */
export class RateExceededException extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RateExceededException';
  }
}

/** Scala's `NoSuchElementException`, e.g. `Sink.head` on an empty stream ("head of empty stream"). */
export class NoSuchElementException extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoSuchElementException';
  }
}

/** Pekko's `AbruptTerminationException`: the ActorSystem stopped while the stream was running. */
export class AbruptTerminationException extends Error {
  constructor(message = 'Processor actor terminated abruptly') {
    super(message);
    this.name = 'AbruptTerminationException';
  }
}

/** Pekko's `AbruptStageTerminationException`: the stream was shut down before this operator finished. */
export class AbruptStageTerminationException extends Error {
  constructor(stage: string) {
    super(`GraphStage [${stage}] terminated abruptly, caused by for example materializer or actor system termination.`);
    this.name = 'AbruptStageTerminationException';
  }
}

/** Pekko's `StreamDetachedException`: a queue or control was used after its stream ended. */
export class StreamDetachedException extends Error {
  constructor(message = 'Stream is terminated.') {
    super(message);
    this.name = 'StreamDetachedException';
  }
}

/** Why a port was cancelled (Pekko's `SubscriptionWithCancelException` causes). */
export class NonFailureCancellation extends Error {
  constructor(readonly reason: 'NoMoreElementsNeeded' | 'StageWasCompleted') {
    super(reason);
    this.name = 'NonFailureCancellation';
  }
}

/** Downstream needs no more elements. */
export const NoMoreElementsNeeded = new NonFailureCancellation('NoMoreElementsNeeded');
/** The cancelling operator completed. */
export const StageWasCompleted = new NonFailureCancellation('StageWasCompleted');
