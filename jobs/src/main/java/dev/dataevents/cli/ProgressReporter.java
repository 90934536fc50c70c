package dev.dataevents.cli;

import dev.dataevents.io.socket.SocketLines;
import dev.dataevents.reporting.Counters;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;

/**
 * Shows a running job's progress on stderr: records, bytes read of the total, and the rate (and,
 * for a socket, when it is reconnecting). Reads the job's accumulators through its client, which
 * TaskManagers refresh with every heartbeat.
 */
final class ProgressReporter implements AutoCloseable {
  private final JobClient client;
  private final PrintStream console;
  private final long totalBytes;
  private final boolean interactive;
  private final long startNanos = System.nanoTime();
  private final Thread thread;
  private volatile boolean running = true;
  private boolean printedInPlace;

  /**
   * @param totalBytes bytes of all input, or -1 for a stream
   */
  ProgressReporter(JobClient client, PrintStream console, long totalBytes, boolean interactive) {
    this.client = client;
    this.console = console;
    this.totalBytes = totalBytes;
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
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    String line =
        totalBytes < 0
            ? streamLine(accumulators, seconds)
            : format(
                asLong(accumulators.get(Counters.INPUT_RECORDS)),
                asLong(accumulators.get(Counters.BYTES_READ)),
                totalBytes,
                seconds);
    if (interactive) {
      console.print("\r" + line + "   ");
      printedInPlace = true;
    } else {
      console.println(line);
    }
    console.flush();
  }

  static String format(long records, long bytes, long totalBytes, double seconds) {
    double rate = seconds > 0 ? records / seconds : 0;
    int percent = totalBytes > 0 ? (int) Math.min(100, bytes * 100 / totalBytes) : 100;
    return String.format(
        Locale.ROOT,
        "progress: %,d records, %s of %s read (%d%%), %,.0f records/s",
        records,
        bytes(bytes),
        bytes(totalBytes),
        percent,
        rate);
  }

  /**
   * A stream's progress line from its accumulators; a socket that is not connected says so (the
   * source reconnects on its own, so the counts standing still is not a failure).
   */
  static String streamLine(Map<String, Object> accumulators, double seconds) {
    String line =
        formatStream(
            asLong(accumulators.get(Counters.INPUT_RECORDS)),
            asLong(accumulators.get(Counters.ACCEPTED)),
            asLong(accumulators.get(Counters.DUPLICATES)),
            asLong(accumulators.get(Counters.REJECTED)),
            seconds);
    return asLong(accumulators.get(SocketLines.RECONNECTING)) == 1
        ? line + "; socket not connected, reconnecting"
        : line;
  }

  /** A stream's progress: no total, so the counts so far (since this run started). */
  static String formatStream(
      long records, long accepted, long duplicates, long rejected, double seconds) {
    return String.format(
        Locale.ROOT,
        "progress: %,d records (%,d accepted, %,d duplicates, %,d rejected), %,.0f records/s",
        records,
        accepted,
        duplicates,
        rejected,
        seconds > 0 ? records / seconds : 0);
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

  @Override
  public synchronized void close() {
    running = false;
    thread.interrupt();
    if (printedInPlace) {
      console.println();
    }
  }
}
