package dev.dataevents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.io.socket.SocketLines;
import dev.dataevents.reporting.Counters;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {

  @Test
  void aStreamsLineSaysWhenItsSocketIsReconnecting() {
    Map<String, Object> counts =
        Map.of(
            Counters.INPUT_RECORDS, 10L,
            Counters.ACCEPTED, 7L,
            Counters.DUPLICATES, 1L,
            Counters.REJECTED, 2L);
    String connected = "progress: 10 records (7 accepted, 1 duplicates, 2 rejected), 5 records/s";
    assertThat(ProgressReporter.streamLine(counts, 2)).isEqualTo(connected);

    Map<String, Object> reconnecting = new java.util.HashMap<>(counts);
    reconnecting.put(SocketLines.RECONNECTING, 1L);
    assertThat(ProgressReporter.streamLine(reconnecting, 2))
        .isEqualTo(connected + "; socket not connected, reconnecting");
    reconnecting.put(SocketLines.RECONNECTING, 0L);
    assertThat(ProgressReporter.streamLine(reconnecting, 2)).isEqualTo(connected);
  }
}
