package dev.dataevents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.testing.EventGenerator;
import dev.dataevents.testing.LauncherProcess;
import dev.dataevents.testing.Records;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A local run with {@code --web-ui} serves Flink's web dashboard while its job runs. */
class WebUiITCase {
  @TempDir Path tmp;

  @Test
  void aLocalBackfillShowsItsJobInFlinksWebUi() throws Exception {
    Path in = tmp.resolve("events.jsonl");
    EventGenerator.write(in, 60_000, 5);
    int port = freePort();
    HttpClient http = HttpClient.newHttpClient();
    String dashboard = null;
    String jobs = null;
    try (LauncherProcess run =
        LauncherProcess.start(
            tmp,
            "backfill",
            "backfill",
            "--input",
            in.toString(),
            "--output",
            tmp.resolve("out").toString(),
            "--as-of",
            Long.toString(Records.AS_OF),
            "--web-ui",
            Integer.toString(port))) {
      // Read the UI while the job runs: the mini-cluster (and its UI) ends with the run.
      while (run.isAlive() && (dashboard == null || jobs == null || !jobs.contains("backfill"))) {
        dashboard = dashboard != null ? dashboard : get(http, port, "/");
        jobs = get(http, port, "/jobs/overview");
        Thread.sleep(50);
      }
      LauncherProcess.Result result = run.await(Duration.ofMinutes(3));
      assertThat(result.exitCode()).as(result.stderr()).isZero();
      assertThat(result.stderr()).contains("Flink's web UI: http://localhost:" + port);
    }
    assertThat(dashboard).as("the dashboard's page").contains("<html");
    assertThat(jobs).as("the jobs the UI lists").contains("\"name\":\"data-events backfill\"");
  }

  /** The body of a GET, or null while nothing answers there. */
  private static String get(HttpClient http, int port, String path) throws InterruptedException {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
