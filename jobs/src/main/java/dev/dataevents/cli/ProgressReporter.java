package dev.dataevents.cli;

import dev.dataevents.io.socket.SocketLines;
import dev.dataevents.job.JobFailures;
import dev.dataevents.job.StreamRun;
import dev.dataevents.reporting.Counters;
import dev.dataevents.reporting.RunReport;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;

/**
 * Shows a running job's progress on stderr: for a bounded run, records, bytes read of the total and
 * the rate, from the job's accumulators (which TaskManagers refresh with every heartbeat); for a
 * stream, the counts of its newest completed checkpoint, as {@code report.json} has them, and the
 * rate (and, for a socket, when it is reconnecting; for a watched folder, when it is not there). A
 * stream's accumulators start again from zero whenever Flink restarts the job, and count records a
 * restart then reads again.
 */
final class ProgressReporter implements AutoCloseable {
  private final JobClient client;
  private final PrintStream console;
  private final long totalBytes;
  private final Supplier<Optional<RunReport>> committed;
  private final Supplier<String> inputNote;
  private final JobFailures failures;
  private final RestartsInARow restarts = new RestartsInARow();
  private final Rate rate = new Rate();
  private final boolean interactive;
  private final long startNanos = System.nanoTime();
  private final Thread thread;
  private volatile boolean running = true;
  private boolean printedInPlace;

  /** A bounded run's progress, of {@code totalBytes} of input. */
  ProgressReporter(JobClient client, PrintStream console, long totalBytes, boolean interactive) {
    this(client, console, totalBytes, null, () -> null, JobFailures.none(), interactive);
  }

  /**
   * A stream's progress, as of what {@code committed} gives: its newest completed checkpoint, and
   * what {@code inputNote} says is wrong with its input (null when nothing); and a line for each
   * failure that Flink restarts it after.
   */
  ProgressReporter(
      JobClient client,
      PrintStream console,
      Supplier<Optional<RunReport>> committed,
      Supplier<String> inputNote,
      JobFailures failures,
      boolean interactive) {
    this(client, console, -1, committed, inputNote, failures, interactive);
  }

  private ProgressReporter(
      JobClient client,
      PrintStream console,
      long totalBytes,
      Supplier<Optional<RunReport>> committed,
      Supplier<String> inputNote,
      JobFailures failures,
      boolean interactive) {
    this.client = client;
    this.console = console;
    this.totalBytes = totalBytes;
    this.committed = committed;
    this.inputNote = inputNote;
    this.failures = failures;
    this.interactive = interactive;
    this.thread = new Thread(this::run, "data-events-progress");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    long intervalMillis = interactive ? 1_000 : 5_000;
    while (running) {
      try {
        Thread.sleep(intervalMillis);
        Map<String, Object> accumulators =
            client.getAccumulators().get(intervalMillis, TimeUnit.MILLISECONDS);
        if (running) {
          printFailures(failures.next());
          print(accumulators);
        }
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        // The job may be finishing; the next poll or the final summary will tell.
      }
    }
  }

  private synchronized void print(Map<String, Object> accumulators) {
    if (!running) {
      return; // the final line is out already
    }
    long now = System.nanoTime();
    String line;
    if (committed != null) {
      RunReport report = committed.get().orElse(null);
      double perSecond =
          report == null ? 0 : rate.update(report.count(Counters.INPUT_RECORDS), now);
      line = streamLine(report, accumulators, perSecond, inputNote.get());
    } else {
      line =
          format(
              asLong(accumulators.get(Counters.INPUT_RECORDS)),
              asLong(accumulators.get(Counters.BYTES_READ)),
              totalBytes,
              (now - startNanos) / 1e9);
    }
    show(line, false);
  }

  /**
   * Prints a progress line: redrawn in place on a terminal (a line end follows the last one), one
   * line each otherwise.
   */
  private void show(String line, boolean last) {
    if (interactive) {
      console.print("\r" + line + "   ");
      printedInPlace = !last;
      if (last) {
        console.println();
      }
    } else {
      console.println(line);
    }
    console.flush();
  }

  /**
   * A line for each failure the job restarts after; not for the one that ends it, as the command's
   * error says why. A job whose state cannot be asked is taken as still restarting.
   */
  private synchronized void printFailures(List<JobFailures.Failure> seen) {
    if (seen.isEmpty() || !running) {
      return;
    }
    boolean ending;
    try {
      JobStatus status = client.getJobStatus().get(5, TimeUnit.SECONDS);
      ending = status.isGloballyTerminalState() || status == JobStatus.FAILING;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ending = false;
    } catch (Exception e) {
      ending = false;
    }
    List<String> lines = failureLines(seen, ending, restarts);
    if (lines.isEmpty()) {
      return;
    }
    if (printedInPlace) {
      console.println(); // end the progress line shown in place
      printedInPlace = false;
    }
    lines.forEach(console::println);
    console.flush();
  }

  /**
   * The lines for failures seen in one look, oldest first: all of them, or all but the last when
   * the job is failing for good (that one ended it).
   */
  static List<String> failureLines(
      List<JobFailures.Failure> seen, boolean jobEnding, RestartsInARow restarts) {
    List<String> lines = new ArrayList<>();
    int told = jobEnding ? seen.size() - 1 : seen.size();
    for (JobFailures.Failure failure : seen.subList(0, Math.max(0, told))) {
      lines.add(failureLine(failure, restarts.next(failure.timestamp())));
    }
    return lines;
  }

  /**
   * What a stream's console says of a failure that Flink restarts it after: when, the root cause
   * (the first line of its message), and that the job resumes from its last checkpoint (as a new
   * run of the command would), with how many restarts in a row this makes.
   */
  static String failureLine(JobFailures.Failure failure, int restart) {
    String cause = failure.cause().strip();
    int lineEnd = cause.indexOf('\n');
    if (lineEnd >= 0) {
      cause = cause.substring(0, lineEnd).strip() + " ...";
    }
    return "stream: failed at "
        + Instant.ofEpochMilli(failure.timestamp()).truncatedTo(ChronoUnit.SECONDS)
        + " ("
        + cause
        + "); restarting from the last checkpoint (restart "
        + restart
        + " of "
        + StreamRun.RESTARTS_IN_A_ROW
        + " in a row; Flink's log has the details)";
  }

  /**
   * Counts restarts in a row as Flink's exponential delay does: a failure {@link
   * StreamRun#RESTARTS_RESET_AFTER} or more after the job's last restart starts again from 1. The
   * restart comes {@link StreamRun#restartDelay} after its failure, give or take Flink's jitter of
   * up to 10% of it, so only a failure within seconds of the boundary may be counted otherwise. A
   * failure before the earliest the restart may come is part of it, as Flink takes it (another task
   * failing with the first); a later one comes after the restart.
   */
  static final class RestartsInARow {
    private long restartAt = Long.MIN_VALUE;
    private long earliestRestart = Long.MIN_VALUE;
    private int count;

    int next(long failedAt) {
      if (restartAt != Long.MIN_VALUE && failedAt < earliestRestart) {
        return count;
      }
      if (restartAt != Long.MIN_VALUE
          && failedAt - restartAt >= StreamRun.RESTARTS_RESET_AFTER.toMillis()) {
        count = 0;
      }
      count++;
      long delay = StreamRun.restartDelay(count).toMillis();
      restartAt = failedAt + delay;
      earliestRestart = failedAt + delay - delay / 10;
      return count;
    }
  }

  /** A bounded run's line; {@code totalBytes} is -1 when the input's size is not known (Kafka). */
  static String format(long records, long bytes, long totalBytes, double seconds) {
    double rate = seconds > 0 ? records / seconds : 0;
    if (totalBytes < 0) {
      return String.format(
          Locale.ROOT,
          "progress: %,d records, %s read, %s records/s",
          records,
          bytes(bytes),
          rate(rate));
    }
    int percent = totalBytes > 0 ? (int) Math.min(100, bytes * 100 / totalBytes) : 100;
    return String.format(
        Locale.ROOT,
        "progress: %,d records, %s of %s read (%d%%), %s records/s",
        records,
        bytes(bytes),
        bytes(totalBytes),
        percent,
        rate(rate));
  }

  /**
   * Records a second: whole numbers from 10 up, one decimal below unless it is 0 (a slow stream, or
   * one event in a run of seconds, would show 0 while its records grow).
   */
  static String rate(double perSecond) {
    if (perSecond >= 9.95) {
      return String.format(Locale.ROOT, "%,.0f", perSecond);
    }
    String tenths = String.format(Locale.ROOT, "%.1f", perSecond);
    return tenths.endsWith(".0") ? tenths.substring(0, tenths.length() - 2) : tenths;
  }

  /**
   * A stream's progress line: the counts of its newest completed checkpoint (null before the first)
   * and their rate; a socket that is not connected says so, from the live accumulators (the source
   * reconnects on its own, so the counts standing still is not a failure).
   */
  static String streamLine(
      RunReport committed,
      Map<String, Object> accumulators,
      double recordsPerSecond,
      String inputNote) {
    String line =
        committed == null
            ? "progress: no checkpoint completed yet"
            : String.format(
                Locale.ROOT,
                "progress: %,d records committed (%,d accepted, %,d duplicates, %,d rejected),"
                    + " %s read, %s records/s",
                committed.count(Counters.INPUT_RECORDS),
                committed.count(Counters.ACCEPTED),
                committed.count(Counters.DUPLICATES),
                committed.count(Counters.REJECTED),
                bytes(committed.count(Counters.BYTES_READ)),
                rate(recordsPerSecond));
    if (asLong(accumulators.get(SocketLines.RECONNECTING)) == 1) {
      line += "; socket not connected, reconnecting";
    }
    return inputNote == null ? line : line + "; " + inputNote;
  }

  /**
   * Records per second committed over about the last half minute, so that a stream which stops
   * receiving shows a rate of zero soon instead of an average that decays for as long as it has
   * run. It starts from the first report it sees, since a resumed run's report starts with the
   * records of the runs before it.
   */
  static final class Rate {
    private static final long WINDOW_NANOS = 30_000_000_000L;

    /** Samples of (nanoTime, records), oldest first; the oldest is at or before the window. */
    private final ArrayDeque<long[]> samples = new ArrayDeque<>();

    double update(long records, long nowNanos) {
      samples.addLast(new long[] {nowNanos, records});
      long windowStart = nowNanos - WINDOW_NANOS;
      while (samples.size() > 1 && secondOldest()[0] <= windowStart) {
        samples.removeFirst();
      }
      long[] oldest = samples.peekFirst();
      double seconds = (nowNanos - oldest[0]) / 1e9;
      return seconds > 0 ? (records - oldest[1]) / seconds : 0;
    }

    private long[] secondOldest() {
      var iterator = samples.iterator();
      iterator.next();
      return iterator.next();
    }
  }

  /** A byte count for people: B, KiB, MiB or GiB. */
  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    if (n < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
    }
    if (n < 1024L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }
    return String.format(Locale.ROOT, "%.2f GiB", n / (1024.0 * 1024 * 1024));
  }

  private static long asLong(Object value) {
    return value instanceof Number n ? n.longValue() : 0L;
  }

  /**
   * Ends a bounded run's progress with its final counts: so every run shows at least one line, also
   * one that ends before the first periodic line.
   */
  synchronized void finished(RunReport report) {
    running = false;
    thread.interrupt();
    show(finalLine(report, totalBytes), true);
  }

  /**
   * The last line of a bounded run that succeeded: it read its files to their ends, also the bytes
   * of a file that held no line to count them with (one holding only a byte-order mark).
   */
  static String finalLine(RunReport report, long totalBytes) {
    long read = report.count(Counters.BYTES_READ);
    return format(
        report.count(Counters.INPUT_RECORDS),
        totalBytes < 0 ? read : Math.max(read, totalBytes),
        totalBytes,
        report.elapsedMillis() / 1e3); // as the summary's "done in"
  }

  @Override
  public synchronized void close() {
    running = false;
    thread.interrupt();
    if (printedInPlace) {
      console.println();
    }
  }
}
