package dev.dataevents.io.kafka;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The Kafka sinks of the jobs. */
public final class KafkaSinks {
  /**
   * How long a transaction may stay open: longer than any checkpoint interval (at most a day is
   * allowed, but a broker refuses more than its transaction.max.timeout.ms, 15 minutes by default).
   */
  static final String TRANSACTION_TIMEOUT_MS = "600000";

  private KafkaSinks() {}

  /**
   * The dead-letter topic: each rejection (its JSON line) as one record, written in a Kafka
   * transaction that commits with the checkpoint that covers it, so a reader with {@code
   * isolation.level=read_committed} sees each rejection once, as {@code rejected/} holds it. A
   * restarted job aborts the transactions its killed predecessor left open.
   */
  public static Sink<byte[]> deadLetters(KafkaDeadLetters deadLetters, String bootstrap) {
    return KafkaSink.<byte[]>builder()
        .setBootstrapServers(bootstrap)
        .setRecordSerializer(
            KafkaRecordSerializationSchema.<byte[]>builder()
                .setTopic(deadLetters.topic())
                // The lines are UTF-8 already: each is the record's value as it is.
                .setKafkaValueSerializer(ByteArraySerializer.class)
                .build())
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(deadLetters.transactionalIdPrefix())
        .setProperty("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS)
        .build();
  }
}
