package dev.dataevents.model;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.flink.streaming.runtime.tasks.ExceptionInChainedOperatorException;
import org.junit.jupiter.api.Test;

class RecordFaultsTest {
  @Test
  void whatTheCodeThrowsOnARecordIsTheRecords() {
    assertThatCode(() -> RecordFaults.rethrowIfNotTheRecords(new IllegalStateException("bug")))
        .doesNotThrowAnyException();
    assertThatCode(() -> RecordFaults.rethrowIfNotTheRecords(new NullPointerException()))
        .doesNotThrowAnyException();
    // This project's code chained after the function (packing a record) failing on the record
    RuntimeException chainedBug =
        new ExceptionInChainedOperatorException(new IllegalArgumentException("too large"));
    assertThatCode(() -> RecordFaults.rethrowIfNotTheRecords(chainedBug))
        .doesNotThrowAnyException();
  }

  @Test
  void aSinkOrTheNetworkFailingIsNot() {
    RuntimeException sink =
        new ExceptionInChainedOperatorException(new IOException("No space left on device"));
    assertThatThrownBy(() -> RecordFaults.rethrowIfNotTheRecords(sink)).isSameAs(sink);
    RuntimeException deeper =
        new ExceptionInChainedOperatorException(
            new ExceptionInChainedOperatorException(
                new RuntimeException(new IOException("Not a directory"))));
    assertThatThrownBy(() -> RecordFaults.rethrowIfNotTheRecords(deeper)).isSameAs(deeper);
    RuntimeException network = new UncheckedIOException(new IOException("connection reset"));
    assertThatThrownBy(() -> RecordFaults.rethrowIfNotTheRecords(network)).isSameAs(network);
  }
}
