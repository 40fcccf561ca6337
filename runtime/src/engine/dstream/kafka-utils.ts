/** Kafka input for the DStream API (PySpark `KafkaUtils`). */
export class KafkaUtils {
  private constructor() {}
}
