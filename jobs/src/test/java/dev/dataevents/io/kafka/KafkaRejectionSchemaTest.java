package dev.dataevents.io.kafka;

import dev.dataevents.testing.Schemas;
import org.junit.jupiter.api.Test;

/** The schemas describe where a Kafka record came from: its partition, and its offset from 0. */
class KafkaRejectionSchemaTest {
  @Test
  void aRejectionOfTheFirstRecordOfAPartitionIsValid() {
    Schemas.assertValid(
        "rejection.schema.json",
        "{\"type\":\"rejection\",\"status\":400,\"reason\":\"invalid_json\",\"field\":null,"
            + "\"message\":\"not valid JSON\",\"source\":\"kafka:orders/0\",\"line\":0,\"raw\":\"{\"}");
  }

  @Test
  void aDuplicateOfTheFirstRecordOfAPartitionIsValid() {
    Schemas.assertValid(
        "duplicate.schema.json",
        "{\"type\":\"duplicate\",\"source\":\"kafka:orders/1\",\"line\":0,"
            + "\"duplicate_of\":{\"source\":\"kafka:orders/0\",\"line\":0},\"raw\":\"{}\"}");
  }
}
