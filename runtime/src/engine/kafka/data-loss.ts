/**
 * Spark's data-loss reporting for the Kafka source: with `failOnDataLoss=true` the query fails
 * with an IllegalStateException whose message ends with the instruction below; with `false` the
 * same text (with the opposite instruction) is logged as a warning and the source skips ahead.
 * Shared by the engine's static reads and the kafkajs connector.
 */

const INSTRUCTION_WHEN_FAILING =
  'Some data may have been lost because they are not available in Kafka any more; either the data was aged out by Kafka or the topic may have been deleted before all the data in the topic was processed. If you don\'t want your streaming query to fail on such cases, set the source option "failOnDataLoss" to "false".';

const INSTRUCTION_WHEN_WARNING =
  'Some data may have been lost because they are not available in Kafka any more; either the data was aged out by Kafka or the topic may have been deleted before all the data in the topic was processed. If you want your streaming query to fail on such cases, set the source option "failOnDataLoss" to "true".';

/** The query fails because Kafka no longer has offsets it must read. */
export class KafkaDataLossError extends Error {
  /** Stable code for the workbench. */
  readonly code = 'KAFKA_DATA_LOSS';
  constructor(
    readonly detail: string,
    readonly topic: string,
    readonly partition: number,
  ) {
    super(`${detail}\n${INSTRUCTION_WHEN_FAILING}`);
    this.name = 'IllegalStateException';
  }
}

/** Receives data-loss warnings when `failOnDataLoss=false`. */
export type DataLossWarn = (message: string) => void;

/**
 * Reports one data-loss event the way Spark does: throw when failing, warn otherwise.
 */
export function reportDataLoss(
  failOnDataLoss: boolean,
  warn: DataLossWarn,
  detail: string,
  topic: string,
  partition: number,
): void {
  if (failOnDataLoss) throw new KafkaDataLossError(detail, topic, partition);
  warn(`${detail}. ${INSTRUCTION_WHEN_WARNING}`);
}
