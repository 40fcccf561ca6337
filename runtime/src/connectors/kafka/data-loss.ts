/**
 * Spark's data-loss reporting for the Kafka source. The rules live in the engine
 * (`engine/kafka/data-loss.ts`) so static reads over any reader report loss the same way; the
 * connector re-exports them under their old path.
 */
export { KafkaDataLossError, reportDataLoss, type DataLossWarn } from '../../engine/kafka/data-loss.js';
