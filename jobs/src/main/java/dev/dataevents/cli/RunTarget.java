package dev.dataevents.cli;

import dev.dataevents.job.EmbeddedClusterNetwork;
import dev.dataevents.job.Environments;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;

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
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || !address.substring(colon + 1).matches("\\d{1,5}")) {
      throw new UsageException(
          "--jobmanager takes HOST:PORT of the JobManager's REST endpoint (e.g. localhost:8081),"
              + " not '"
              + jobManager
              + "'");
    }
    int port = Integer.parseInt(address.substring(colon + 1));
    if (port < 1 || port > 65535) {
      throw new UsageException("--jobmanager: no such port: " + port);
    }
    return new RunTarget(address.substring(0, colon), port, null);
  }

  boolean remote() {
    return host != null;
  }

  /**
   * Fails fast, as a usage error, when no Flink JobManager answers at a remote target's address:
   * Flink's client would retry for a minute and then report a job that failed, though none was
   * submitted. Nothing to check for the embedded mini-cluster.
   */
  void checkReachable() {
    if (!remote()) {
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

  /** Adds what this target needs to a run's Flink configuration. */
  void configure(Configuration config) {
    if (remote()) {
      Environments.remote(config, host, port, jobJar());
      return;
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
