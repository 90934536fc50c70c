package dev.dataevents.job;

import static dev.dataevents.testing.OutputFiles.lines;
import static dev.dataevents.testing.Polling.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.json.Json;
import dev.dataevents.model.RawLine;
import dev.dataevents.reporting.Counters;
import dev.dataevents.reporting.RunReport;
import dev.dataevents.testing.Backfills;
import dev.dataevents.testing.EventGenerator;
import dev.dataevents.testing.MiniCluster;
import dev.dataevents.testing.ReportFiles;
import dev.dataevents.testing.Schemas;
import dev.dataevents.testing.Streams;
import dev.dataevents.validation.TokenAuthenticator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The stream job on a mini-cluster: exactly-once across a failure, sockets, and tokens. */
class StreamITCase {
  @RegisterExtension static final MiniClusterExtension CLUSTER = MiniCluster.extension();

  @TempDir Path tmp;

  private static void moveIn(Path file, Path folder) throws IOException {
    Files.move(file, folder.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
  }

  /** (workspace, contact, name, created_at) of an accepted event line. */
  private static String identity(String line) {
    try {
      var n = Json.mapper().readTree(line);
      return n.get("workspace_id").asText()
          + "|"
          + n.path("user_id").asText(n.path("id").asText(n.path("email").asText()))
          + "|"
          + n.get("event_name").asText()
          + "|"
          + n.get("created_at").asLong();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Throws once, on the first record it sees after a checkpoint completed. */
  static final class FailOnceAfterCheckpoint
      implements MapFunction<RawLine, RawLine>, CheckpointListener {
    static final AtomicBoolean CHECKPOINTED = new AtomicBoolean();
    static final AtomicBoolean FAILED = new AtomicBoolean();

    @Override
    public RawLine map(RawLine line) {
      if (CHECKPOINTED.get() && !FAILED.getAndSet(true)) {
        throw new IllegalStateException("injected failure after a completed checkpoint");
      }
      return line;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      CHECKPOINTED.set(true);
    }
  }

  @Test
  void aWatchedFolderIsReadExactlyOnceAcrossAFailure() throws Exception {
    Path staging = Files.createDirectories(tmp.resolve("staging"));
    Path in = Files.createDirectories(tmp.resolve("in"));
    Path out = tmp.resolve("out");
    Path first = staging.resolve("a.jsonl");
    Path second = staging.resolve("b.jsonl");
    EventGenerator.write(first, 2000, 1);
    EventGenerator.write(second, 2000, 2);
    Path all = Files.createDirectories(tmp.resolve("all"));
    Files.copy(first, all.resolve("a.jsonl"));
    Files.copy(second, all.resolve("b.jsonl"));
    RunReport backfill = Backfills.of(all).run(tmp.resolve("backfill"));
    Set<String> expected =
        lines(tmp.resolve("backfill"), "events").stream()
            .map(StreamITCase::identity)
            .collect(Collectors.toSet());

    FailOnceAfterCheckpoint.CHECKPOINTED.set(false);
    FailOnceAfterCheckpoint.FAILED.set(false);
    JobClient job =
        Streams.start(
            Streams.watching(in).output(out).request(),
            new Configuration(),
            lines -> lines.map(new FailOnceAfterCheckpoint()).name("fail-once").uid("fail-once"));
    try {
      moveIn(first, in);
      await("a checkpoint", FailOnceAfterCheckpoint.CHECKPOINTED::get);
      moveIn(second, in);
      await(
          "every event once",
          () ->
              FailOnceAfterCheckpoint.FAILED.get()
                  && lines(out, "events").size() >= expected.size());
      Thread.sleep(1000); // a few more checkpoints: anything doubled would show now
    } finally {
      job.cancel().get();
    }

    List<String> events = lines(out, "events");
    // The report follows the newest completed checkpoint: it matches the committed outputs.
    RunReport report =
        StreamReport.write(out.resolve(StreamRun.CHECKPOINTS), out, ReportFiles.checkpointReader())
            .orElseThrow();
    assertThat(report.balanced()).isTrue();
    assertThat(report.count(Counters.INPUT_RECORDS)).isEqualTo(4000);
    assertThat(report.count(Counters.ACCEPTED)).isEqualTo(events.size());
    assertThat(report.count(Counters.REJECTED)).isEqualTo(backfill.count(Counters.REJECTED));
    assertThat(report.count(Counters.DUPLICATES)).isEqualTo(backfill.count(Counters.DUPLICATES));
    Schemas.assertValid("report.schema.json", Files.readString(out.resolve("report.json")));
    assertThat(FailOnceAfterCheckpoint.FAILED).isTrue();
    assertThat(events).hasSize(expected.size());
    assertThat(events.stream().map(StreamITCase::identity).collect(Collectors.toSet()))
        .isEqualTo(expected);
    assertThat(lines(out, "rejected")).hasSize((int) backfill.count(Counters.REJECTED));
  }

  @Test
  void aSocketFeedsTheStream() throws Exception {
    Path out = tmp.resolve("out");
    try (ServerSocket server = new ServerSocket(0)) {
      JobClient job =
          Streams.start(
              Streams.socket("localhost:" + server.getLocalPort()).output(out).request(),
              new Configuration());
      try (Socket client = server.accept();
          OutputStream to = client.getOutputStream()) {
        long now = System.currentTimeMillis() / 1000;
        String lines =
            "{\"event_name\":\"opened-email\",\"created_at\":"
                + (now - 60)
                + ",\"user_id\":\"u1\"}\r\n"
                + "not json\n"
                + "\n"
                + "{\"event_name\":\"opened-email\",\"created_at\":"
                + (now - 60)
                + ",\"user_id\":\"u1\"}\n";
        to.write(lines.getBytes(StandardCharsets.UTF_8));
        to.flush();
        await(
            "the event, the rejection and a summary",
            () ->
                lines(out, "events").size() == 1
                    && lines(out, "rejected").size() == 1
                    && !lines(out, "summaries").isEmpty());
      } finally {
        job.cancel().get();
      }
    }
    assertThat(lines(out, "rejected"))
        .singleElement()
        .asString()
        .contains("\"reason\":\"invalid_json\"", "\"source\":\"socket:localhost:", "\"line\":2");
    assertThat(lines(out, "summaries").get(0)).contains("\"count\":1", "\"updated_at\":");
    lines(out, "summaries").forEach(l -> Schemas.assertValid("event-summary.schema.json", l));
    lines(out, "listings").forEach(l -> Schemas.assertValid("event-list.schema.json", l));
    lines(out, "events").forEach(l -> Schemas.assertValid("accepted-event.schema.json", l));
    lines(out, "rejected").forEach(l -> Schemas.assertValid("rejection.schema.json", l));
  }

  @Test
  void tokensAreCheckedAndNeverWrittenOut() throws Exception {
    String token = "tok_secret_9f8e7d";
    String readOnly = "tok_reader_123456";
    String sha =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
    String shaReadOnly =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(readOnly.getBytes(StandardCharsets.UTF_8)));
    TokenAuthenticator auth =
        TokenAuthenticator.of(
            "{\"tokens\":[{\"sha256\":\""
                + sha
                + "\",\"workspace_id\":\"ws_1\",\"scopes\":[\"write_events\"]},"
                + "{\"sha256\":\""
                + shaReadOnly
                + "\",\"workspace_id\":\"ws_1\",\"scopes\":[\"read_events\"]}]}");
    long now = System.currentTimeMillis() / 1000;
    String event =
        "{\"workspace_id\":\"ws_1\",\"event_name\":\"x\",\"created_at\":"
            + (now - 5)
            + ",\"user_id\":\"u1\"}";
    String other =
        "{\"workspace_id\":\"ws_2\",\"event_name\":\"x\",\"created_at\":"
            + (now - 5)
            + ",\"user_id\":\"u1\"}";
    String input =
        String.join(
                "\n",
                "{\"access_token\":\"" + token + "\",\"event\":" + event + "}",
                "{\"access_token\":\"wrong\",\"event\":" + event + "}",
                "{\"event\":" + event + "}",
                "{\"access_token\":\"" + readOnly + "\",\"event\":" + event + "}",
                "{\"access_token\":\"" + token + "\",\"event\":" + other + "}",
                "{\"access_token\":\"" + token + "\",\"event\":{\"workspace_id\":\"ws_1\"}}",
                "{\"access_token\":\"" + token + "\",\"event\":")
            + "\n";
    Path staging = Files.createDirectories(tmp.resolve("staging"));
    Path in = Files.createDirectories(tmp.resolve("in"));
    Path out = tmp.resolve("out");
    Files.writeString(staging.resolve("tokens.jsonl"), input);
    JobClient job =
        Streams.start(Streams.watching(in).output(out).auth(auth).request(), new Configuration());
    try {
      moveIn(staging.resolve("tokens.jsonl"), in);
      await(
          "one event and six rejections",
          () -> lines(out, "events").size() == 1 && lines(out, "rejected").size() == 6);
    } finally {
      job.cancel().get();
    }
    List<String> rejected = lines(out, "rejected");
    assertThat(rejected)
        .extracting(
            l ->
                l.replaceAll(
                    ".*\"status\":(\\d+),\"reason\":\"([a-z_]+)\".*\"line\":(\\d+).*", "$3 $1 $2"))
        .containsExactlyInAnyOrder(
            "2 401 unauthorized",
            "3 401 unauthorized",
            "4 403 forbidden",
            "5 403 forbidden",
            "6 400 missing_event_name",
            "7 400 invalid_json");
    for (String folder : List.of("events", "rejected", "summaries", "listings")) {
      assertThat(lines(out, folder)).noneMatch(l -> l.contains(token) || l.contains(readOnly));
    }
  }

  @Test
  void aWatchedDirectoryResolvesLaterEvents() throws Exception {
    Path staging = Files.createDirectories(tmp.resolve("staging"));
    Path in = Files.createDirectories(tmp.resolve("in"));
    Path directory = Files.createDirectories(tmp.resolve("directory"));
    Path out = tmp.resolve("out");
    long now = System.currentTimeMillis() / 1000;
    String byEmail =
        "{\"workspace_id\":\"ws_1\",\"event_name\":\"x\",\"created_at\":"
            + (now - 60)
            + ",\"email\":\"ann@example.com\"}\n";
    String byUserId = byEmail.replace("\"email\":\"ann@example.com\"", "\"user_id\":\"u1\"");
    JobClient job =
        Streams.start(
            Streams.watching(in).output(out).contacts(directory).request(), new Configuration());
    try {
      Files.writeString(staging.resolve("early.jsonl"), byEmail);
      moveIn(staging.resolve("early.jsonl"), in);
      await("the unknown contact's rejection", () -> lines(out, "rejected").size() == 1);
      // The contact, then a line that is no contact: once its rejection is committed, a
      // checkpoint has covered the whole file, so the contact is in the join's state.
      Files.writeString(
          staging.resolve("contacts.jsonl"),
          "{\"workspace_id\":\"ws_1\",\"id\":\"c1\",\"user_id\":\"u1\",\"email\":\"ann@example.com\"}\n"
              + "{\"workspace_id\":\"ws_1\",\"user_id\":\"no-id\"}\n");
      moveIn(staging.resolve("contacts.jsonl"), directory);
      await(
          "the directory read: its bad line's rejection",
          () -> lines(out, "rejected").stream().anyMatch(r -> r.contains("invalid_contact")));
      Files.writeString(staging.resolve("late.jsonl"), byEmail + byUserId);
      moveIn(staging.resolve("late.jsonl"), in);
      await(
          "the resolved event and its duplicate",
          () -> lines(out, "events").size() == 1 && !lines(out, "summaries").isEmpty());
    } finally {
      job.cancel().get();
    }
    assertThat(lines(out, "rejected"))
        .hasSize(2)
        .anySatisfy(
            r -> assertThat(r).contains("\"reason\":\"contact_not_found\"", "\"status\":404"))
        .anySatisfy(r -> assertThat(r).contains("\"reason\":\"invalid_contact\"", "\"line\":2"));
    // By email, then the same event by user_id: one contact (c1), so the second is a duplicate.
    assertThat(lines(out, "events")).hasSize(1);
    assertThat(lines(out, "summaries").get(lines(out, "summaries").size() - 1))
        .contains("\"intercom_user_id\":\"c1\"", "\"count\":1");
  }

  @Test
  void aDirectoryThereAtTheStartAppliesToTheEventsThereAtTheStart() throws Exception {
    // Both folders are read at once: the join must not reject events that reach it before
    // their directory entries.
    Path in = Files.createDirectories(tmp.resolve("in"));
    Path directory = Files.createDirectories(tmp.resolve("directory"));
    Path out = tmp.resolve("out");
    long now = System.currentTimeMillis() / 1000;
    StringBuilder contacts = new StringBuilder();
    StringBuilder events = new StringBuilder();
    int people = 40;
    for (int i = 0; i < people; i++) {
      contacts.append(
          String.format(
              "{\"workspace_id\":\"ws_1\",\"id\":\"c%d\",\"user_id\":\"u%d\","
                  + "\"email\":\"p%d@example.com\"}%n",
              i, i, i));
      String who =
          i % 2 == 0 ? "\"user_id\":\"u" + i + "\"" : "\"email\":\"P" + i + "@example.com\"";
      events.append(
          String.format(
              "{\"workspace_id\":\"ws_1\",\"event_name\":\"x\",\"created_at\":%d,%s}%n",
              now - 60, who));
    }
    events.append(
        "{\"workspace_id\":\"ws_1\",\"event_name\":\"x\",\"created_at\":"
            + (now - 60)
            + ",\"user_id\":\"nobody\"}\n");
    Files.writeString(directory.resolve("contacts.jsonl"), contacts);
    Files.writeString(in.resolve("events.jsonl"), events);

    JobClient job =
        Streams.start(
            Streams.watching(in).output(out).contacts(directory).parallelism(2).request(),
            new Configuration());
    try {
      await(
          "every event resolved, and the unknown one rejected",
          () -> lines(out, "events").size() == people && lines(out, "rejected").size() == 1);
    } finally {
      job.cancel().get();
    }
    assertThat(lines(out, "rejected"))
        .singleElement()
        .satisfies(r -> assertThat(r).contains("contact_not_found", "nobody"));
  }

  @Test
  void theReportBalancesWhileAnEventWaitsForItsDirectoryEntry() throws Exception {
    Path staging = Files.createDirectories(tmp.resolve("staging"));
    Path in = Files.createDirectories(tmp.resolve("in"));
    Path directory = Files.createDirectories(tmp.resolve("directory"));
    Path out = tmp.resolve("out");
    Files.writeString(
        directory.resolve("contacts.jsonl"), "{\"workspace_id\":\"ws_1\",\"id\":\"c1\"}\n");
    StreamRun.Request request =
        Streams.watching(in)
            .output(out)
            .contacts(directory)
            .intervals(java.time.Duration.ofMillis(200))
            .request();
    JobClient job = Streams.start(request, new Configuration());
    try (StreamReport report = StreamReport.follow(request.checkpointDir(), request.output())) {
      await(
          "the directory read",
          () -> readQuietly(out).map(r -> r.count(Counters.DIRECTORY_ENTRIES) == 1).orElse(false));
      Files.writeString(
          staging.resolve("e.jsonl"),
          "{\"workspace_id\":\"ws_1\",\"event_name\":\"x\",\"created_at\":"
              + (System.currentTimeMillis() / 1000 - 60)
              + ",\"user_id\":\"nobody\"}\n");
      moveIn(staging.resolve("e.jsonl"), in);
      // The event waits about 5 s for an entry that never comes: every report on the way
      // balances.
      List<RunReport> seen = new java.util.ArrayList<>();
      await(
          "the unknown contact's rejection in the report",
          () -> {
            Optional<RunReport> now = readQuietly(out);
            now.ifPresent(seen::add);
            return now.map(r -> r.count(Counters.REJECTED) == 1).orElse(false);
          });
      assertThat(seen).allSatisfy(r -> assertThat(r.balanced()).as(r.toString()).isTrue());
      assertThat(seen.get(seen.size() - 1).count(Counters.INPUT_RECORDS)).isEqualTo(2);
    } finally {
      job.cancel().get();
    }
  }

  /** The report.json a stream keeps, read while it may be replaced. */
  private static Optional<RunReport> readQuietly(Path out) {
    try {
      return ReportFiles.read(out);
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  @Test
  void aStreamInFoldersWithSpacesCheckpointsWhereItSaysAndReportsFromThere() throws Exception {
    Path base = Files.createDirectories(tmp.resolve("my data 100%"));
    Path staging = Files.createDirectories(base.resolve("staging"));
    Path in = Files.createDirectories(base.resolve("in coming"));
    Path out = base.resolve("out put");
    StreamRun.Request request =
        Streams.watching(in).output(out).intervals(java.time.Duration.ofMillis(200)).request();
    JobClient job = Streams.start(request, new Configuration());
    try (StreamReport report = StreamReport.follow(request.checkpointDir(), request.output())) {
      Files.writeString(
          staging.resolve("e.jsonl"),
          "{\"workspace_id\":\"ws_1\",\"event_name\":\"x\",\"created_at\":"
              + (System.currentTimeMillis() / 1000 - 60)
              + ",\"user_id\":\"u1\"}\n");
      moveIn(staging.resolve("e.jsonl"), in);
      await(
          "the event in a report read from the checkpoints under the given folder",
          () -> readQuietly(out).map(r -> r.count(Counters.ACCEPTED) == 1).orElse(false));
    } finally {
      job.cancel().get();
    }
    assertThat(lines(out, "events")).hasSize(1);
    try (var beside = Files.list(tmp)) {
      // Nothing written to a folder named with the escape ("my%20data%20100%25").
      assertThat(beside.map(p -> p.getFileName().toString())).containsExactly("my data 100%");
    }
  }

  @Test
  void aFileWithAColonInItsNameIsReadFromAWatchedFolder() throws Exception {
    Path staging = Files.createDirectories(tmp.resolve("staging"));
    Path in = Files.createDirectories(tmp.resolve("in"));
    Path out = tmp.resolve("out");
    StreamRun.Request request =
        Streams.watching(in).output(out).intervals(java.time.Duration.ofMillis(200)).request();
    JobClient job = Streams.start(request, new Configuration());
    try (StreamReport report = StreamReport.follow(request.checkpointDir(), request.output())) {
      long createdAt = System.currentTimeMillis() / 1000 - 60;
      for (String name : List.of("a:b.jsonl", "c.jsonl")) {
        Files.writeString(
            staging.resolve(name),
            "{\"workspace_id\":\"ws_1\",\"event_name\":\"x\",\"created_at\":"
                + createdAt
                + ",\"user_id\":\""
                + name
                + "\"}\n");
        moveIn(staging.resolve(name), in);
      }
      await(
          "both events, the one of a:b.jsonl too",
          () -> readQuietly(out).map(r -> r.count(Counters.ACCEPTED) == 2).orElse(false));
    } finally {
      job.cancel().get();
    }
    assertThat(lines(out, "events"))
        .hasSize(2)
        .anySatisfy(line -> assertThat(line).contains("\"user_id\":\"a:b.jsonl\""));
  }
}
