"""kafka-python as the temperature tutorial uses it: a KafkaProducer with the library's defaults
(idempotent in kafka-python 3), then a KafkaConsumer reading the topic back from the beginning.

usage: python kafka_python_client.py BOOTSTRAP TOPIC COUNT [CONFIG_JSON]

CONFIG_JSON holds extra client settings for both (security_protocol, sasl_mechanism, ...). Prints one
"partition:offset" line per acknowledged record, then "READ <json list of values>", or
"ERROR <exception class>: <message>" (exit 3).
"""
import json
import logging
import sys

from kafka import KafkaConsumer, KafkaProducer


def main():
    bootstrap, topic, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    config = json.loads(sys.argv[4]) if len(sys.argv) > 4 else {}
    # The library reports connection and authentication errors through logging: keep them on stderr.
    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)
    try:
        producer = KafkaProducer(bootstrap_servers=bootstrap, **config)
        for i in range(count):
            md = producer.send(topic, key=f"k{i}".encode(), value=f"v{i}".encode()).get(timeout=120)
            print(f"{md.partition}:{md.offset}", flush=True)
        producer.close()
        consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None, **config)
        values = []
        while len(values) < count:
            for records in consumer.poll(timeout_ms=500).values():
                values.extend(r.value.decode() for r in records)
        consumer.close()
        print("READ " + json.dumps(values))
    except Exception as e:
        print(f"ERROR {type(e).__name__}: {e}")
        sys.exit(3)


if __name__ == "__main__":
    main()
