package dev.dataevents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.io.socket.SocketLines;
import dev.dataevents.job.JobFailures;
import dev.dataevents.reporting.Counters;
import dev.dataevents.reporting.RunReport;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {

  @Test
  void aFinishedRunHasReadItsWholeInputThoughAFileHeldNoLine() {
    // A file holding only a byte-order mark (or nothing but a last line's end) gives no line to
    // count its bytes with; a run that succeeded read it all the same.
    RunReport report =
        new RunReport(
            Map.of(Counters.INPUT_RECORDS, 3L, Counters.BYTES_READ, 714L), 0, 1, 0, 2_000);
    assertThat(ProgressReporter.finalLine(report, 717))
        .isEqualTo("progress: 3 records, 717 B of 717 B read (100%), 1.5 records/s");
    // Files that grew while read: what was read.
    assertThat(ProgressReporter.finalLine(report, 700)).contains("714 B of 700 B read (100%)");
    // Kafka: no total known.
    assertThat(ProgressReporter.finalLine(report, -1)).contains("3 records, 714 B read");
  }

  private static final RunReport COMMITTED =
      new RunReport(
          Map.of(
              Counters.INPUT_RECORDS, 10L,
              Counters.ACCEPTED, 7L,
              Counters.DUPLICATES, 1L,
              Counters.REJECTED, 2L,
              Counters.BYTES_READ, 3072L),
          0,
          2,
          0,
          0);

  /**
   * A stream shows what its newest completed checkpoint holds, as {@code report.json} does (and the
   * bytes read up to it, as a bounded run shows its bytes read, with no total to read): the job's
   * own counters start again from zero whenever Flink restarts it, and a stream restarted after a
   * broker outage showed "0 accepted" while its report held every event.
   */
  @Test
  void aStreamsLineShowsItsCommittedCountsAndWhenItsSocketIsReconnecting() {
    Map<String, Object> live = new HashMap<>(Map.of(Counters.INPUT_RECORDS, 3L));
    String committed =
        "progress: 10 records committed (7 accepted, 1 duplicates, 2 rejected), 3.0 KiB read, 5 records/s";
    assertThat(ProgressReporter.streamLine(COMMITTED, live, 5, null)).isEqualTo(committed);

    live.put(SocketLines.RECONNECTING, 1L);
    assertThat(ProgressReporter.streamLine(COMMITTED, live, 5, null))
        .isEqualTo(committed + "; socket not connected, reconnecting");
    live.put(SocketLines.RECONNECTING, 0L);
    assertThat(ProgressReporter.streamLine(COMMITTED, live, 5, null)).isEqualTo(committed);
  }

  /**
   * A bounded run's line: records, bytes read of the total and the rate; Kafka records have no size
   * before they are read, so a run that reads topics shows bytes read without a total.
   */
  @Test
  void aBoundedRunsLineShowsBytesReadOfTheTotalWhenThereIsOne() {
    assertThat(ProgressReporter.format(1_500, 3 * 1024, 12 * 1024, 2))
        .isEqualTo("progress: 1,500 records, 3.0 KiB of 12.0 KiB read (25%), 750 records/s");
    assertThat(ProgressReporter.format(1_500, 3 * 1024, -1, 2))
        .isEqualTo("progress: 1,500 records, 3.0 KiB read, 750 records/s");
  }

  /**
   * A rate below 10 a second keeps a decimal: one event in 2 s, or a stream sent a few events a
   * minute, showed "0 records/s" while its records grew.
   */
  @Test
  void aSlowRateKeepsADecimal() {
    assertThat(ProgressReporter.format(1, 69, 69, 2.1))
        .isEqualTo("progress: 1 records, 69 B of 69 B read (100%), 0.5 records/s");
    assertThat(ProgressReporter.format(0, 0, 69, 2.1))
        .isEqualTo("progress: 0 records, 0 B of 69 B read (0%), 0 records/s");
    assertThat(ProgressReporter.format(95, 69, 69, 10))
        .isEqualTo("progress: 95 records, 69 B of 69 B read (100%), 9.5 records/s");
    assertThat(ProgressReporter.streamLine(COMMITTED, Map.of(), 0.4, null))
        .isEqualTo(
            "progress: 10 records committed (7 accepted, 1 duplicates, 2 rejected), 3.0 KiB read, 0.4 records/s");
  }

  /** What the command knows of its input (a watched folder gone) ends the line. */
  @Test
  void aStreamsLineEndsWithWhatIsWrongWithItsInput() {
    String note = "watched folder in is not there";
    assertThat(ProgressReporter.streamLine(COMMITTED, Map.of(), 5, note))
        .isEqualTo(
            "progress: 10 records committed (7 accepted, 1 duplicates, 2 rejected), 3.0 KiB read, 5 records/s; "
                + note);
    assertThat(ProgressReporter.streamLine(null, Map.of(), 0, note))
        .isEqualTo("progress: no checkpoint completed yet; " + note);
  }

  /**
   * A stream that Flink restarts after a failure goes on from its last checkpoint, and its console
   * says so, with the cause: the counts alone only stand still for a while.
   */
  @Test
  void aFailureThatRestartsAStreamIsOneLineWithItsCause() {
    JobFailures.Failure failure =
        new JobFailures.Failure(
            1_795_000_000_123L, "IOException", "IOException: No space left on device");
    assertThat(ProgressReporter.failureLine(failure, 3))
        .isEqualTo(
            "stream: failed at 2026-11-18T11:06:40Z (IOException: No space left on device);"
                + " restarting from the last checkpoint (restart 3 of 30 in a row; Flink's log has"
                + " the details)");
    // One line, whatever the message holds (a database's error has Detail: and Where: lines).
    JobFailures.Failure multiLine =
        new JobFailures.Failure(
            1_795_000_000_123L, "PSQLException", "PSQLException: ERROR: boom\n  Detail: more");
    assertThat(ProgressReporter.failureLine(multiLine, 1))
        .doesNotContain("\n")
        .contains("(PSQLException: ERROR: boom ...);");
  }

  /**
   * The number shown is Flink's count of restarts in a row, which starts again once the job has run
   * 10 minutes after its last restart (not after its last failure: the restart comes a wait later,
   * up to a minute): 30 in a row end the stream, and the console must not count again where Flink
   * does not.
   */
  @Test
  void theRestartNumberCountsInARowAsFlinkDoes() {
    ProgressReporter.RestartsInARow restarts = new ProgressReporter.RestartsInARow();
    long second = 1_000;
    long minute = 60 * second;
    long t = 0;
    for (int n = 1; n <= 18; n++) {
      assertThat(restarts.next(t)).isEqualTo(n);
      t += 61 * second; // a failure just after each restart (the wait reaches its minute)
    }
    long lastFailure = t - 61 * second;
    // 10 minutes 17 seconds after the last failure, but 9 minutes 17 seconds after its restart.
    assertThat(restarts.next(lastFailure + 10 * minute + 17 * second)).isEqualTo(19);
    long restart = lastFailure + 10 * minute + 17 * second + minute;
    assertThat(restarts.next(restart + 10 * minute)).as("10 minutes after a restart").isEqualTo(1);
    // The first waits are short: a failure 9 minutes 59 seconds after the first is in a row.
    ProgressReporter.RestartsInARow fresh = new ProgressReporter.RestartsInARow();
    assertThat(fresh.next(0)).isEqualTo(1);
    assertThat(fresh.next(second + 9 * minute + 58 * second)).isEqualTo(2);
    assertThat(fresh.next(second + 9 * minute + 58 * second + 11 * minute)).isEqualTo(1);
  }

  /**
   * Flink's jitter moves a restart up to 10% of its wait either way: a failure soon after a restart
   * that came early is the next restart, while a failure within the same moment as another (two
   * tasks failing together) is part of the same one. The console showed "restart 2" twice.
   */
  @Test
  void aFailureSoonAfterAnEarlyRestartIsTheNextRestart() {
    ProgressReporter.RestartsInARow restarts = new ProgressReporter.RestartsInARow();
    assertThat(restarts.next(0)).isEqualTo(1);
    assertThat(restarts.next(5)).as("the same failure, another task").isEqualTo(1);
    // The first wait is 1 s; the restart came 5% early and failed at once.
    assertThat(restarts.next(960)).isEqualTo(2);
    // The second wait is 1.5 s.
    assertThat(restarts.next(960 + 1_400)).isEqualTo(3);
  }

  /**
   * Failures seen in one look are all told, except the last once the job is failing for good: its
   * error is the command's own last line.
   */
  @Test
  void everyRestartIsToldButNotTheFailureThatEndsTheJob() {
    JobFailures.Failure first = new JobFailures.Failure(1_000, "A", "A: one");
    JobFailures.Failure last = new JobFailures.Failure(2_000, "B", "B: two");
    ProgressReporter.RestartsInARow restarts = new ProgressReporter.RestartsInARow();
    assertThat(ProgressReporter.failureLines(List.of(first, last), true, restarts))
        .singleElement()
        .asString()
        .contains("(A: one)", "(restart 1 of 30");
    assertThat(ProgressReporter.failureLines(List.of(first, last), false, restarts)).hasSize(2);
  }

  @Test
  void beforeItsFirstCheckpointAStreamSaysSo() {
    assertThat(ProgressReporter.streamLine(null, Map.of(), 0, null))
        .isEqualTo("progress: no checkpoint completed yet");
  }

  @Test
  void theRateCountsCommittedRecordsFromTheFirstReportSeen() {
    ProgressReporter.Rate rate = new ProgressReporter.Rate();
    assertThat(rate.update(1_000, 0))
        .isZero(); // a resumed run's earlier records are not this run's
    assertThat(rate.update(1_000, 2_000_000_000L)).isZero();
    assertThat(rate.update(1_500, 4_000_000_000L)).isEqualTo(125.0);
  }

  @Test
  void theRateIsOfTheLastHalfMinuteSoAnIdleStreamShowsZeroSoon() {
    ProgressReporter.Rate rate = new ProgressReporter.Rate();
    long second = 1_000_000_000L;
    rate.update(0, 0);
    assertThat(rate.update(3_000, 30 * second)).isEqualTo(100.0);
    assertThat(rate.update(3_000, 45 * second)).isEqualTo(3_000 / 45.0);
    // Nothing committed for more than half a minute: no rate, however busy the start was.
    assertThat(rate.update(3_000, 61 * second)).isZero();
    assertThat(rate.update(3_600, 66 * second)).isEqualTo(600 / 36.0);
  }
}
