// The Java producer as Spark 3.5's Kafka sink runs it (kafka-clients 3.4.1: idempotence on, acks=all
// by default). Launched as a single-file program:
//   java -cp <kafka-clients and its jars> IdempotentProducer.java BOOTSTRAP TOPIC COUNT [key=value ...]
// The extra arguments are producer properties (SASL settings, for instance). Prints one line per
// acknowledged record, "partition:offset", or "ERROR <exception class>: <message>" and exits 3.
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

public class IdempotentProducer {
  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", args[0]);
    props.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    props.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    props.put("max.block.ms", "60000");
    for (int i = 3; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      props.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    int count = Integer.parseInt(args[2]);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
      for (int i = 0; i < count; i++) {
        RecordMetadata m = producer.send(new ProducerRecord<>(args[1], "k" + i, "v" + i)).get();
        System.out.println(m.partition() + ":" + m.offset());
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      System.out.println("ERROR " + cause.getClass().getName() + ": " + cause.getMessage());
      System.exit(3);
    } catch (Exception e) {
      System.out.println("ERROR " + e.getClass().getName() + ": " + e.getMessage());
      System.exit(3);
    }
  }
}
