package dev.dataevents.job;

import dev.dataevents.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.scheduler.exceptionhistory.RootExceptionHistoryEntry;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.util.SerializedThrowable;

/**
 * The failures of a running job that Flink restarted it after, from Flink's exception history: of
 * the mini-cluster this process started, or of a cluster through its REST endpoint. A stream
 * restarts from its last checkpoint and goes on, and without this nobody watching the run would
 * know (only Flink's log says so).
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

  /** Where the history is read: every failure Flink still keeps, in any order. */
  interface History {
    List<Failure> read() throws Exception;
  }

  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

  /** How a printed stack trace introduces each cause (a suppressed one's is indented). */
  private static final String CAUSED_BY = "Caused by: ";

  private final History history;

  /** The time of the newest failure told, and those told at that very millisecond. */
  private long seenUpTo = Long.MIN_VALUE;

  private final Set<Failure> seenAtNewest = new HashSet<>();

  JobFailures(History history) {
    this.history = history;
  }

  /** For a job whose failures this process cannot see. */
  public static JobFailures none() {
    return new JobFailures(List::of);
  }

  /**
   * The failures of {@code job} on a mini-cluster of this process, once {@code cluster} holds it
   * (the environment sets it when it starts the cluster).
   */
  static JobFailures onMiniCluster(JobID job, AtomicReference<MiniCluster> cluster) {
    return new JobFailures(
        () -> {
          MiniCluster miniCluster = cluster.get();
          if (miniCluster == null) {
            return List.of();
          }
          List<Failure> failures = new ArrayList<>();
          for (RootExceptionHistoryEntry entry :
              miniCluster
                  .getExecutionGraphInfo(job)
                  .get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                  .getExceptionHistory()) {
            failures.add(failure(entry.getTimestamp(), entry.getException()));
          }
          return failures;
        });
  }

  /** The failures of {@code job} on the cluster whose REST endpoint is {@code host:port}. */
  static JobFailures onCluster(String host, int port, JobID job) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(ASK_TIMEOUT).build();
    URI uri = URI.create("http://" + host + ":" + port + "/jobs/" + job + "/exceptions");
    return new JobFailures(
        () -> {
          HttpResponse<String> response =
              client.send(
                  HttpRequest.newBuilder(uri).timeout(ASK_TIMEOUT).GET().build(),
                  HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() != 200) {
            return List.of(); // not known yet, or gone
          }
          return fromRest(Json.mapper().readTree(response.body()));
        });
  }

  /**
   * The failures in a REST answer of {@code /jobs/:jobid/exceptions}: its exception history, each
   * entry's root cause read from the last "Caused by" of its stack trace.
   */
  static List<Failure> fromRest(JsonNode answer) {
    List<Failure> failures = new ArrayList<>();
    for (JsonNode entry : answer.path("exceptionHistory").path("entries")) {
      String stackTrace = entry.path("stacktrace").asText("");
      String root =
          stackTrace
              .lines()
              .findFirst()
              .filter(line -> !line.isBlank())
              .orElse(entry.path("exceptionName").asText("unknown"));
      for (String line : (Iterable<String>) stackTrace.lines()::iterator) {
        if (line.startsWith(CAUSED_BY)) {
          root = line.substring(CAUSED_BY.length());
        }
      }
      failures.add(failure(entry.path("timestamp").asLong(), root.strip()));
    }
    return failures;
  }

  /**
   * The failures recorded since the last call, oldest first; none when the job cannot be asked (not
   * started, ended, gone). Flink keeps the latest 16, more than come between two calls a few
   * seconds apart.
   */
  public synchronized List<Failure> next() {
    List<Failure> failures = new ArrayList<>();
    try {
      for (Failure failure : history.read()) {
        if (failure.timestamp() > seenUpTo
            || (failure.timestamp() == seenUpTo && !seenAtNewest.contains(failure))) {
          failures.add(failure);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    } catch (Exception e) {
      return List.of(); // the job ended, or the cluster is going: nothing more to see
    }
    failures.sort(Comparator.comparingLong(Failure::timestamp));
    for (Failure failure : failures) {
      if (failure.timestamp() > seenUpTo) {
        seenUpTo = failure.timestamp();
        seenAtNewest.clear();
      }
      seenAtNewest.add(failure);
    }
    return failures;
  }

  static Failure failure(long timestamp, Throwable exception) {
    Throwable root = exception;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof SerializedThrowable serialized) {
      // Its message is the original's toString(): "class: message", or the class alone.
      String className = serialized.getOriginalErrorClassName();
      String text = root.getMessage();
      return failure(timestamp, text != null && text.startsWith(className) ? text : className);
    }
    return failure(timestamp, root.toString());
  }

  /** A failure from the root cause as Java prints a throwable: "class" or "class: message". */
  static Failure failure(long timestamp, String printed) {
    int colon = printed.indexOf(": ");
    String className = colon < 0 ? printed : printed.substring(0, colon);
    String message = colon < 0 ? "" : printed.substring(colon + 2);
    String type = className.substring(className.lastIndexOf('.') + 1);
    type = type.substring(type.lastIndexOf('$') + 1);
    return new Failure(timestamp, type, message.isEmpty() ? type : type + ": " + message);
  }
}
