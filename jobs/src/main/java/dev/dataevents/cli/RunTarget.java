package dev.dataevents.cli;

import dev.dataevents.io.HostPort;
import dev.dataevents.job.EmbeddedClusterNetwork;
import dev.dataevents.job.Environments;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;

/**
 * Where a job runs: on the embedded mini-cluster (with Flink's web UI when asked), or on a Flink
 * cluster whose JobManager's REST endpoint is given, to which the job jar is submitted.
 *
 * @param host the JobManager's REST host, or null for the embedded mini-cluster
 * @param port its REST port
 * @param webUiPort the embedded mini-cluster's web UI port, or null for none
 */
record RunTarget(String host, int port, Integer webUiPort) {
  /** A class that only flink-runtime-web has: without it the REST endpoint serves no web UI. */
  private static final String WEB_UI_CLASS =
      "org.apache.flink.runtime.webmonitor.WebSubmissionExtension";

  /** Set by tests (and usable by anyone): the job jar, when the classes are not run from it. */
  static final String JOB_JAR_PROPERTY = "data-events.job-jar";

  static final RunTarget EMBEDDED = new RunTarget(null, 0, null);

  /**
   * The most subtasks per operator the embedded mini-cluster runs. Every keyed exchange between p
   * senders and p receivers needs network buffers for p * p channels, all held at once in a local
   * run (its stages are pipelined), and one thread per subtask of each task: at 32 a run with a
   * contacts directory failed for want of network buffers, and at 1000 a run of 28 events spent its
   * heap on threads and buffers and never finished. A cluster ({@code --jobmanager}) takes up to
   * {@link Converters#MAX_PARALLELISM}.
   */
  static final int EMBEDDED_MAX_PARALLELISM = 16;

  /**
   * Network memory of the embedded mini-cluster at {@link #EMBEDDED_MAX_PARALLELISM}: Flink's 64
   * MiB for a local run served parallelism 12 with every stage (directory, duplicates), not 16.
   */
  private static final int EMBEDDED_MAX_NETWORK_MIB = 192;

  /** Flink's network memory for a local run, kept for parallelism up to 8. */
  private static final int DEFAULT_NETWORK_MIB = 64;

  /**
   * The target the options name.
   *
   * @param jobManager {@code --jobmanager HOST:PORT}, or null
   * @param webUi {@code --web-ui [PORT]}, or null
   */
  static RunTarget of(String jobManager, Integer webUi) {
    if (jobManager != null && webUi != null) {
      throw new UsageException(
          "--web-ui serves the embedded mini-cluster's UI; with --jobmanager, open the cluster's"
              + " own (http://"
              + jobManager
              + ")");
    }
    if (webUi != null) {
      if (webUi < 1 || webUi > 65535) {
        throw new UsageException("--web-ui takes a port from 1 to 65535, not " + webUi);
      }
      return new RunTarget(null, 0, webUi);
    }
    if (jobManager == null) {
      return EMBEDDED;
    }
    String address = jobManager.replaceFirst("^https?://", "").replaceFirst("/+$", "");
    HostPort restEndpoint =
        HostPort.parse(address)
            .orElseThrow(
                () ->
                    new UsageException(
                        "--jobmanager takes HOST:PORT of the JobManager's REST endpoint (e.g. localhost:8081),"
                            + " not '"
                            + jobManager
                            + "'"));
    if (!restEndpoint.portInRange()) {
      throw new UsageException("--jobmanager: no such port: " + restEndpoint.port());
    }
    return new RunTarget(restEndpoint.host(), restEndpoint.port(), null);
  }

  boolean remote() {
    return host != null;
  }

  /** Whether the job runs on the embedded mini-cluster that the launcher starts in this JVM. */
  boolean embedded() {
    return !remote() && ConsoleLogging.isLocal();
  }

  /**
   * {@code parallelism}, or a usage error when it is more than the embedded mini-cluster runs.
   *
   * @param parallelism the {@code --parallelism} given
   */
  int checkParallelism(int parallelism) {
    if (embedded() && parallelism > EMBEDDED_MAX_PARALLELISM) {
      throw new UsageException(
          "--parallelism "
              + parallelism
              + ": the embedded mini-cluster runs at most "
              + EMBEDDED_MAX_PARALLELISM
              + " (each keyed exchange needs network buffers for parallelism x parallelism"
              + " channels); run on a Flink cluster with --jobmanager HOST:PORT for more");
    }
    return parallelism;
  }

  /** The default parallelism {@code cores} within what this target runs. */
  int withinLimit(int cores) {
    return embedded() ? Math.min(cores, EMBEDDED_MAX_PARALLELISM) : cores;
  }

  /**
   * The embedded mini-cluster's network memory for {@code parallelism}: Flink's 64 MiB up to 8,
   * growing with the square of the parallelism above it (the channels of a keyed exchange).
   */
  static int networkMebibytes(int parallelism) {
    int p = Math.min(parallelism, EMBEDDED_MAX_PARALLELISM);
    long scaled =
        (long) EMBEDDED_MAX_NETWORK_MIB
            * p
            * p
            / (EMBEDDED_MAX_PARALLELISM * EMBEDDED_MAX_PARALLELISM);
    return (int) Math.max(DEFAULT_NETWORK_MIB, scaled);
  }

  /**
   * Fails fast, as a usage error, when no Flink JobManager answers at a remote target's address:
   * Flink's client would retry for a minute and then report a job that failed, though none was
   * submitted. Nothing to check for the embedded mini-cluster.
   */
  void checkReachable() {
    if (!remote()) {
      checkWebUiPortFree();
      return;
    }
    String why;
    try {
      HttpClient client =
          HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(10)).build();
      HttpRequest request =
          HttpRequest.newBuilder(new URI("http", null, host, port, "/config", null, null))
              .timeout(java.time.Duration.ofSeconds(15))
              .GET()
              .build();
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200 && response.body().contains("flink-version")) {
        return;
      }
      why = "HTTP " + response.statusCode() + " from /config, not a Flink REST endpoint";
    } catch (java.io.IOException | java.net.URISyntaxException e) {
      why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      why = "interrupted";
    }
    throw new UsageException(
        "--jobmanager " + host + ":" + port + ": no Flink JobManager answers there (" + why + ")");
  }

  /**
   * Fails fast, as a usage error, when the web UI's port is taken: Flink would start the job's
   * cluster, fail to bind its REST endpoint and report a failed job, after the console had named
   * the other program's address as this run's UI. (A port taken between this check and the
   * cluster's start still fails the run, exit 1.)
   */
  private void checkWebUiPortFree() {
    if (webUiPort == null) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(EmbeddedClusterNetwork.LOOPBACK, webUiPort));
    } catch (IOException e) {
      String why = String.valueOf(e.getMessage());
      throw new UsageException(
          "--web-ui "
              + webUiPort
              + (why.contains("in use")
                  ? ": the port is in use on 127.0.0.1"
                  : ": cannot listen on 127.0.0.1:" + webUiPort + " (" + why + ")")
              + "; choose another with --web-ui=PORT");
    }
  }

  /**
   * Adds what this target needs to a run's Flink configuration.
   *
   * @param parallelism the run's parallelism
   */
  void configure(Configuration config, int parallelism) {
    if (remote()) {
      Environments.remote(config, host, port, jobJar());
      return;
    }
    if (embedded()) {
      MemorySize network = MemorySize.ofMebiBytes(networkMebibytes(parallelism));
      config.set(TaskManagerOptions.NETWORK_MEMORY_MIN, network);
      config.set(TaskManagerOptions.NETWORK_MEMORY_MAX, network);
    }
    if (webUiPort != null) {
      if (!webUiAvailable()) {
        throw new UsageException(
            "--web-ui needs Flink's web UI (flink-runtime-web) on the classpath; bin/data-events"
                + " adds it");
      }
      config.set(RestOptions.BIND_PORT, Integer.toString(webUiPort));
    }
    if (webUiPort != null || ConsoleLogging.isLocal()) {
      // Only this machine: the UI and the REST endpoint behind it take jobs and cancel them
      // without authentication.
      EmbeddedClusterNetwork.loopbackOnly(config);
    }
    if (ConsoleLogging.isLocal()) {
      EmbeddedClusterFolder.use(config);
    }
  }

  /** A line for the console saying where the job runs, or null for a plain local run. */
  String describe() {
    if (remote()) {
      return "submitting to the Flink cluster at http://" + host + ":" + port;
    }
    if (webUiPort != null) {
      return "Flink's web UI: http://localhost:" + webUiPort + " (while the job runs)";
    }
    return null;
  }

  private static boolean webUiAvailable() {
    try {
      Class.forName(WEB_UI_CLASS, false, RunTarget.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** The jar these classes were loaded from: a cluster needs it to run the job. */
  static Path jobJar() {
    String named = System.getProperty(JOB_JAR_PROPERTY);
    Path jar;
    if (named != null) {
      jar = Path.of(named);
    } else {
      try {
        jar = Path.of(RunTarget.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      } catch (URISyntaxException | NullPointerException | SecurityException e) {
        throw new UsageException("--jobmanager: cannot tell which jar holds the job: " + e);
      }
    }
    if (!Files.isRegularFile(jar) || !jar.getFileName().toString().endsWith(".jar")) {
      throw new UsageException(
          "--jobmanager submits the job jar, but these classes are not run from one ("
              + jar
              + "); run through bin/data-events, or set -D"
              + JOB_JAR_PROPERTY
              + "=PATH");
    }
    return jar;
  }
}
