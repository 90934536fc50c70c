package dev.dataevents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** A failed job's one line says what a person can do about it, where there is something. */
class FailureMessageTest {
  @Test
  void aJobOutOfHeapSaysHowToGiveItMore() {
    Exception failed =
        new RuntimeException(
            "job failed", new IllegalStateException("task", new OutOfMemoryError("Java heap")));
    assertThat(DataEventsCommand.rootCause(failed)).isEqualTo("OutOfMemoryError: Java heap");
    assertThat(DataEventsCommand.memoryHint(failed))
        .contains("DATA_EVENTS_JAVA_OPTS=-Xmx8g")
        .contains("-Xmx2g");
  }

  @Test
  void otherFailuresGetNoMemoryHint() {
    assertThat(DataEventsCommand.memoryHint(new RuntimeException(new IOException("disk"))))
        .isEmpty();
  }
}
