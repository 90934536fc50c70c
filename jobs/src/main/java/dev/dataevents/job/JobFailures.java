package dev.dataevents.job;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.scheduler.exceptionhistory.RootExceptionHistoryEntry;
import org.apache.flink.util.SerializedThrowable;

/**
 * The failures of a running job that Flink restarted it after, as this process can see them: those
 * of a job on a mini-cluster it started. A stream restarts from its last checkpoint and goes on,
 * and without this nobody watching the run would know (only Flink's log says so). A job on a
 * cluster shows them in Flink's web UI instead ({@link #none}).
 */
public final class JobFailures {
  /**
   * One failure.
   *
   * @param timestamp when Flink recorded it, in epoch milliseconds
   * @param type the simple name of the root cause's class
   * @param cause the root cause: its class's simple name and its message
   */
  public record Failure(long timestamp, String type, String cause) {}

  private final JobID job;
  private final AtomicReference<MiniCluster> cluster = new AtomicReference<>();
  private long seenUpTo = Long.MIN_VALUE;

  JobFailures(JobID job) {
    this.job = job;
  }

  /** For a job whose failures this process cannot see. */
  public static JobFailures none() {
    return new JobFailures(null);
  }

  /** The mini-cluster that runs the job, once it has started. */
  void runsOn(MiniCluster miniCluster) {
    cluster.set(miniCluster);
  }

  /**
   * The failures recorded since the last call, oldest first; none when the job cannot be asked (not
   * started, ended, on a cluster). Flink keeps the latest 16 (its exception history), more than
   * come between two calls a few seconds apart.
   */
  public synchronized List<Failure> next() {
    MiniCluster miniCluster = cluster.get();
    if (miniCluster == null || job == null) {
      return List.of();
    }
    List<Failure> failures = new ArrayList<>();
    try {
      Iterable<RootExceptionHistoryEntry> history =
          miniCluster.getExecutionGraphInfo(job).get(10, TimeUnit.SECONDS).getExceptionHistory();
      for (RootExceptionHistoryEntry entry : history) {
        if (entry.getTimestamp() > seenUpTo) {
          failures.add(failure(entry.getTimestamp(), entry.getException()));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    } catch (Exception e) {
      return List.of(); // the job ended, or the cluster is shutting down: nothing more to see
    }
    failures.sort(Comparator.comparingLong(Failure::timestamp));
    if (!failures.isEmpty()) {
      seenUpTo = failures.get(failures.size() - 1).timestamp();
    }
    return failures;
  }

  static Failure failure(long timestamp, Throwable exception) {
    Throwable root = exception;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String className =
        root instanceof SerializedThrowable serialized
            ? serialized.getOriginalErrorClassName()
            : root.getClass().getName();
    String message = root.getMessage();
    if (root instanceof SerializedThrowable && message != null && message.startsWith(className)) {
      // Its message is the original's toString(): "class: message", or the class alone.
      message = message.substring(className.length()).replaceFirst("^: ", "");
    }
    String type = simpleName(className);
    return new Failure(
        timestamp, type, message == null || message.isEmpty() ? type : type + ": " + message);
  }

  private static String simpleName(String className) {
    String name = className.substring(className.lastIndexOf('.') + 1);
    return name.substring(name.lastIndexOf('$') + 1);
  }
}
