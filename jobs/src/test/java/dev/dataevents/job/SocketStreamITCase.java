package dev.dataevents.job;

import static dev.dataevents.testing.OutputFiles.lines;
import static dev.dataevents.testing.Polling.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.testing.FailOnLine;
import dev.dataevents.testing.LauncherProcess;
import dev.dataevents.testing.MiniCluster;
import dev.dataevents.testing.Schemas;
import dev.dataevents.testing.Streams;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The socket source of a stream against a server in the test: it runs until stopped, reconnects
 * when the peer closes, holds at most the line limit of a line, and keeps numbering lines across a
 * restore.
 */
class SocketStreamITCase {
  @RegisterExtension static final MiniClusterExtension CLUSTER = MiniCluster.extension();

  @TempDir Path tmp;

  private ServerSocket server;
  private JobClient job;

  @BeforeEach
  void listen() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    server.setSoTimeout((int) Duration.ofSeconds(30).toMillis());
  }

  /** A stream reading the test's server socket, writing to {@code out}. */
  private StreamRun.Request stream(Path out) {
    return Streams.socket("127.0.0.1:" + server.getLocalPort()).output(out).request();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (job != null) {
        job.cancel().get();
      }
    } finally {
      server.close();
    }
  }

  private static String event(String user) {
    return "{\"event_name\":\"opened-email\",\"created_at\":"
        + (System.currentTimeMillis() / 1000 - 60)
        + ",\"user_id\":\""
        + user
        + "\"}";
  }

  private static void send(Socket peer, String... lines) throws IOException {
    OutputStream to = peer.getOutputStream();
    to.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    to.flush();
  }

  /** "line reason" of each rejection, e.g. {@code "3 invalid_json"}. */
  private static List<String> rejections(Path out) {
    return lines(out, "rejected").stream()
        .map(l -> l.replaceAll(".*\"reason\":\"([a-z_]+)\".*\"line\":(\\d+).*", "$2 $1"))
        .sorted()
        .toList();
  }

  private void assertRunning() throws Exception {
    assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
  }

  @Test
  void whenThePeerClosesTheSourceReconnectsAndLinesKeepTheirNumbers() throws Exception {
    Path out = tmp.resolve("out");
    job = Streams.start(stream(out), new Configuration());
    try (Socket first = server.accept()) {
      send(first, event("u1"), "not json", "");
    }
    // The peer closed: a socketTextStream finished here. The source must come back.
    try (Socket second = server.accept()) {
      send(second, event("u2"), "still not json");
      await(
          "both events and both rejections",
          () -> lines(out, "events").size() == 2 && lines(out, "rejected").size() == 2);
      assertRunning();
    }
    try (Socket third = server.accept()) {
      send(third, event("u3"));
      await("the third event", () -> lines(out, "events").size() == 3);
      assertRunning();
    }
    // Line numbers go on across connections: 1-3 on the first, 4-5 on the second.
    assertThat(rejections(out)).containsExactly("2 invalid_json", "5 invalid_json");
    assertThat(lines(out, "rejected"))
        .allSatisfy(l -> assertThat(l).contains("\"source\":\"socket:127.0.0.1:"));
    lines(out, "rejected").forEach(l -> Schemas.assertValid("rejection.schema.json", l));
  }

  @Test
  void aPeerSendingManyMegabytesWithoutANewlineGivesOneLineTooLong() throws Exception {
    Path out = tmp.resolve("out");
    job = Streams.start(stream(out), new Configuration());
    byte[] chunk = new byte[1024 * 1024];
    Arrays.fill(chunk, (byte) 'x');
    try (Socket peer = server.accept()) {
      OutputStream to = peer.getOutputStream();
      // 64 MiB and no line end, then the peer goes away.
      for (int i = 0; i < 64; i++) {
        to.write(chunk);
      }
      to.flush();
    }
    try (Socket peer = server.accept()) {
      send(peer, event("u1"));
      await(
          "the long line's rejection and the next event",
          () -> lines(out, "rejected").size() == 1 && lines(out, "events").size() == 1);
      assertRunning();
    }
    assertThat(rejections(out)).containsExactly("1 line_too_long");
    String rejection = lines(out, "rejected").get(0);
    assertThat(rejection).contains("\"raw\":\"" + "x".repeat(1024) + "\"");
    Schemas.assertValid("rejection.schema.json", rejection);
  }

  @Test
  void afterARestoreLineNumbersGoOnFromTheCheckpoint() throws Exception {
    Path out = tmp.resolve("out");
    job = Streams.start(stream(out), new Configuration(), FailOnLine.tap());
    try (Socket first = server.accept()) {
      send(first, "bad 1", "bad 2");
      // Committed, so a completed checkpoint holds the source after line 2.
      await("two rejections", () -> lines(out, "rejected").size() == 2);
      send(first, FailOnLine.TEXT);
      await("the failure", FailOnLine.FAILED::get);
      // The job restarts from the checkpoint and connects again (the first connection stays
      // open until then: had this peer closed it, the failing reader could have reconnected
      // before it stopped, and taken the next connection). The failed line is gone (a socket
      // cannot replay), but numbering goes on from line 2.
      try (Socket second = server.accept()) {
        first.close();
        send(second, "bad 3");
        await("the third rejection", () -> lines(out, "rejected").size() == 3);
        assertRunning();
      }
    }
    assertThat(rejections(out))
        .containsExactly("1 invalid_json", "2 invalid_json", "3 invalid_json");
    assertThat(lines(out, "rejected")).noneMatch(l -> l.contains(FailOnLine.TEXT));
  }

  /** In a process of its own, as users run it: the platform charset is fixed at start-up. */
  @Test
  void utf8ArrivesIntactWhenThePlatformCharsetIsAsciiAndProgressShowsReconnecting()
      throws Exception {
    Path out = tmp.resolve("out");
    server.setSoTimeout((int) Duration.ofSeconds(90).toMillis());
    try (LauncherProcess stream =
        LauncherProcess.launch(
                "stream",
                "--socket",
                "127.0.0.1:" + server.getLocalPort(),
                "--output",
                out.toString(),
                "--checkpoint-interval",
                "500ms",
                "--emit-interval",
                "500ms",
                "--parallelism",
                "1")
            .env("LANG", "C")
            .env("LC_ALL", "C")
            .env("DATA_EVENTS_JAVA_OPTS", "-Xmx1g -Dfile.encoding=US-ASCII")
            .start(tmp, "stream")) {
      try (Socket peer = server.accept()) {
        send(
            peer,
            event("zo\u00e9-\uD83D\uDE00")
                .replace("}", ",\"metadata\":{\"city\":\"Z\u00fcrich\"}}"),
            "not json: \u00e9 \uD83D\uDE00");
        await(
            "the event and the rejection",
            () -> {
              assertThat(stream.isAlive()).as(stream.stderr()).isTrue();
              return lines(out, "events").size() == 1 && lines(out, "rejected").size() == 1;
            });
        // Nobody listens any more and the peer goes: the stream keeps running and its progress
        // line says that it is reconnecting.
        server.close();
      }
      await(
          "progress saying the socket is reconnecting",
          () -> {
            assertThat(stream.isAlive()).as(stream.stderr()).isTrue();
            return stream.stderr().contains("; socket not connected, reconnecting");
          });
    }
    assertThat(lines(out, "events").get(0))
        .contains("\"user_id\":\"zo\u00e9-\uD83D\uDE00\"", "\"city\":\"Z\u00fcrich\"");
    assertThat(lines(out, "rejected").get(0)).contains("\"raw\":\"not json: \u00e9 \uD83D\uDE00\"");
  }
}
