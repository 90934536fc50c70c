package dev.dataevents.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.util.SerializedThrowable;
import org.junit.jupiter.api.Test;

class JobFailuresTest {
  /** A failure is told by its root cause: what a user can act on (the disk, the folder). */
  @Test
  void aFailureIsItsRootCause() {
    RuntimeException wrapped =
        new RuntimeException(
            "Could not forward element to next operator",
            new IOException("No space left on device"));
    assertThat(JobFailures.failure(7, wrapped))
        .isEqualTo(
            new JobFailures.Failure(7, "IOException", "IOException: No space left on device"));
    // As Flink keeps it: serialized, its class named only.
    assertThat(JobFailures.failure(8, new SerializedThrowable(wrapped)))
        .isEqualTo(
            new JobFailures.Failure(8, "IOException", "IOException: No space left on device"));
    assertThat(JobFailures.failure(9, new SerializedThrowable(new IllegalStateException())))
        .isEqualTo(new JobFailures.Failure(9, "IllegalStateException", "IllegalStateException"));
    assertThat(JobFailures.failure(10, new SuppressRestartsException(new Error("nested: colon"))))
        .isEqualTo(new JobFailures.Failure(10, "Error", "Error: nested: colon"));
  }

  /** A cluster's REST answer: the root cause is the last "Caused by" of the stack trace. */
  @Test
  void aClustersExceptionHistoryIsReadFromItsRestAnswer() throws IOException {
    String answer =
        "{\"root-exception\":\"...\",\"timestamp\":1795000000123,\"truncated\":false,"
            + "\"exceptionHistory\":{\"entries\":["
            + "{\"exceptionName\":\"org.apache.flink.util.FlinkException\","
            + "\"stacktrace\":\"org.apache.flink.util.FlinkException: The TaskExecutor is shutting"
            + " down.\\n\\tat org.apache.flink.X.y(X.java:1)\\nCaused by:"
            + " java.util.concurrent.TimeoutException: Heartbeat of TaskManager with id tm-1 timed"
            + " out.\\n\\tat org.apache.flink.Z.z(Z.java:2)\\n\\tSuppressed: java.lang.Exception:"
            + " not this\\n\",\"timestamp\":1795000000123,\"taskName\":\"contact (1/2)\","
            + "\"failureLabels\":{},\"concurrentExceptions\":[]},"
            + "{\"exceptionName\":\"java.lang.IllegalStateException\","
            + "\"stacktrace\":\"java.lang.IllegalStateException: injected\\n\\tat"
            + " a.B.c(B.java:3)\\n\",\"timestamp\":1795000000001,\"concurrentExceptions\":[]}"
            + "],\"truncated\":false}}";

    assertThat(JobFailures.fromRest(Json.mapper().readTree(answer)))
        .containsExactly(
            new JobFailures.Failure(
                1795000000123L,
                "TimeoutException",
                "TimeoutException: Heartbeat of TaskManager with id tm-1 timed out."),
            new JobFailures.Failure(
                1795000000001L, "IllegalStateException", "IllegalStateException: injected"));
    assertThat(JobFailures.fromRest(Json.mapper().readTree("{\"errors\":[\"not found\"]}")))
        .isEmpty();
  }

  @Test
  void failuresAreToldOnceOldestFirst() {
    JobFailures.Failure first = new JobFailures.Failure(1, "A", "A: one");
    JobFailures.Failure second = new JobFailures.Failure(2, "B", "B: two");
    JobFailures.Failure third = new JobFailures.Failure(3, "C", "C: three");
    List<JobFailures.Failure> kept = new ArrayList<>(List.of(second, first));
    boolean[] reachable = {true};
    JobFailures failures =
        new JobFailures(
            () -> {
              if (!reachable[0]) {
                throw new IOException("the job ended");
              }
              return kept;
            });

    assertThat(failures.next()).containsExactly(first, second);
    assertThat(failures.next()).isEmpty();
    kept.add(0, third);
    assertThat(failures.next()).containsExactly(third);
    // Another failure in the same millisecond as the last one told, seen a look later.
    JobFailures.Failure sameMillisecond = new JobFailures.Failure(3, "D", "D: four");
    kept.add(0, sameMillisecond);
    assertThat(failures.next()).containsExactly(sameMillisecond);
    reachable[0] = false;
    assertThat(failures.next()).isEmpty();
    assertThat(JobFailures.none().next()).isEmpty();
  }
}
