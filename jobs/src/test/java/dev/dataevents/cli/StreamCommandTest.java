package dev.dataevents.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dataevents.io.StreamMarker;
import dev.dataevents.job.StreamRun;
import dev.dataevents.testing.FolderSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The stream's options, checked before anything starts: outputs and checkpoints never overlap what
 * it reads, and its output folder holds nothing but its own.
 */
class StreamCommandTest {
  @TempDir Path tmp;

  private Path in;

  @BeforeEach
  void watchedFolder() throws IOException {
    in = Files.createDirectories(tmp.resolve("in"));
  }

  private static StreamRun.Request request(String... args) {
    StreamCommand command = new StreamCommand();
    new CommandLine(command).parseArgs(args);
    StreamRun.Request request = command.request();
    command.refuseForeignOutput();
    return request;
  }

  private static String[] args(String... more) {
    List<String> all = new ArrayList<>(List.of("--parallelism", "1"));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private void assertRefused(String message, String... args) {
    Map<String, String> before = FolderSnapshot.of(tmp);
    assertThatThrownBy(() -> request(args(args)))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith(message);
    assertThat(FolderSnapshot.of(tmp)).isEqualTo(before);
  }

  /** --socket takes HOST:PORT with a usable port; the last colon splits (an IPv6 host). */
  @Test
  void aSocketIsHostAndPort() {
    String out = tmp.resolve("out").toString();
    assertThat(request(args("--socket", "::1:9999", "--output", out)).socket())
        .isEqualTo("::1:9999");
    for (String socket : new String[] {"localhost", ":9999", "localhost:0", "h:65536", "h:x1"}) {
      assertThatThrownBy(() -> request(args("--socket", socket, "--output", out)))
          .as(socket)
          .isInstanceOf(CommandLine.ParameterException.class)
          .hasMessage("--socket takes HOST:PORT, not '" + socket + "'");
    }
  }

  /**
   * A watched folder moved away while the stream runs leaves it reading nothing, with no error from
   * Flink: the progress line says so until the folder is back.
   */
  @Test
  void aWatchedFolderThatIsGoneIsToldUntilItIsBack() throws IOException {
    Supplier<String> note = StreamCommand.watchedFolderNote(in);
    assertThat(note.get()).isNull();

    Path away = Files.move(in, tmp.resolve("away"));
    assertThat(note.get())
        .isEqualTo(
            "watched folder "
                + in
                + " is not there (moved or removed?); read again once it is back");
    Files.writeString(in, "a file where the folder was");
    assertThat(note.get()).contains("is not there");

    Files.delete(in);
    Files.move(away, in);
    assertThat(note.get()).isNull();
  }

  @Test
  void anOutputInsideTheWatchedFolderIsRefused() {
    assertRefused(
        "--output " + in.resolve("live") + " lies inside --watch " + in,
        "--watch",
        in.toString(),
        "--output",
        in.resolve("live").toString());
    assertRefused(
        "--output " + tmp + " contains --watch " + in,
        "--watch",
        in.toString(),
        "--output",
        tmp.toString());
  }

  @Test
  void theCurrentFolderIsNoExceptionToTheRule() throws IOException {
    Path cwd = Path.of("").toAbsolutePath();
    assertThatThrownBy(() -> request(args("--watch", ".", "--output", "live")))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("--output live lies inside --watch .");
    assertThat(cwd.resolve("live")).doesNotExist();
  }

  @Test
  void aCheckpointFolderInsideAnInputIsRefused() {
    Path out = tmp.resolve("out");
    assertRefused(
        "--checkpoint-dir " + in.resolve("chk") + " lies inside --watch " + in,
        "--watch",
        in.toString(),
        "--output",
        out.toString(),
        "--checkpoint-dir",
        in.resolve("chk").toString());
  }

  /**
   * A bounded run's output is no stream's checkpoint folder: the stream's marker in it made a later
   * backfill --overwrite refuse it as a stream's output, as --output refuses it the other way.
   */
  @Test
  void aBoundedRunsOutputIsRefusedAsTheCheckpointFolder() throws IOException {
    Path bounded = tmp.resolve("bounded");
    Files.createDirectories(bounded.resolve("events"));
    Files.writeString(bounded.resolve("events/part-00000.jsonl"), "{}\n");
    Files.createDirectories(bounded.resolve("summaries"));
    Files.writeString(
        bounded.resolve("report.json"),
        "{\"input_records\":1,\"accepted\":1,\"duplicates\":0,\"rejected\":0,"
            + "\"rejected_by_reason\":{},\"reference_time\":1}\n");
    assertRefused(
        "--checkpoint-dir: " + bounded + " is the output of a backfill or recompute",
        "--watch",
        in.toString(),
        "--output",
        tmp.resolve("out").toString(),
        "--checkpoint-dir",
        bounded.toString());
  }

  /**
   * A user's file named like the stream marker, in the output or the checkpoint folder, is refused
   * before anything is created (the output's marker would have made it a stream's for good).
   */
  @Test
  void aUsersFileNamedLikeTheStreamMarkerIsRefusedBeforeAnythingIsMade() throws IOException {
    Path mine = Files.createDirectories(tmp.resolve("mine"));
    Files.writeString(mine.resolve(StreamMarker.NAME), "my stuff\n");
    assertRefused(
        "--checkpoint-dir: " + mine + " holds " + StreamMarker.NAME,
        "--watch",
        in.toString(),
        "--output",
        tmp.resolve("new").toString(),
        "--checkpoint-dir",
        mine.toString());
    assertRefused(
        "--output: " + mine + " holds " + StreamMarker.NAME,
        "--watch",
        in.toString(),
        "--output",
        mine.toString());
  }

  /** A file where a folder is needed is named as such, not as missing. */
  @Test
  void aFileGivenAsTheWatchedFolderIsNotAFolder() throws IOException {
    Path file = Files.writeString(tmp.resolve("events.jsonl"), "{}\n");
    assertRefused(
        "--watch: not a folder: " + file,
        "--watch",
        file.toString(),
        "--output",
        tmp.resolve("out").toString());
  }

  @Test
  void theTokensFileAndTheContactsAreInputsToo() throws IOException {
    Path secrets = Files.createDirectories(tmp.resolve("secrets"));
    Path tokens = Files.writeString(secrets.resolve("tokens.json"), "{\"tokens\":[]}");
    assertRefused(
        "--output " + secrets + " contains --auth " + tokens,
        "--watch",
        in.toString(),
        "--output",
        secrets.toString(),
        "--auth",
        tokens.toString());
    Path contacts = Files.createDirectories(tmp.resolve("contacts"));
    assertRefused(
        "--checkpoint-dir " + contacts.resolve("chk") + " lies inside --contacts " + contacts,
        "--watch",
        in.toString(),
        "--output",
        tmp.resolve("out").toString(),
        "--contacts",
        contacts.toString(),
        "--checkpoint-dir",
        contacts.resolve("chk").toString());
  }

  @Test
  void theWatchedFolderAndAContactsFolderNeverHoldOneAnother() throws IOException {
    // A file is read in one role: events, or directory entries.
    Path out = tmp.resolve("out");
    Path dirs = Files.createDirectories(in.resolve("dirs"));
    assertRefused(
        "--contacts " + dirs + " lies inside --watch " + in,
        "--watch",
        in.toString(),
        "--contacts",
        dirs.toString(),
        "--output",
        out.toString());
    assertRefused(
        "--watch " + dirs + " lies inside --contacts " + in,
        "--watch",
        dirs.toString(),
        "--contacts",
        in.toString(),
        "--output",
        out.toString());
    assertRefused(
        "--contacts " + in + " is --watch " + in,
        "--watch",
        in.toString(),
        "--contacts",
        in.toString(),
        "--output",
        out.toString());
  }

  @Test
  void aContactsFileInTheWatchedFolderIsNotWatchedAsEvents() throws IOException {
    Path file = Files.writeString(in.resolve("contacts.jsonl"), "");
    StreamRun.Request request =
        request(
            args(
                "--watch",
                in.toString(),
                "--contacts",
                file.toString(),
                "--output",
                tmp.resolve("out").toString()));
    assertThat(request.contacts()).isEqualTo(file);
    assertThat(StreamRun.notReadAsEvents(request)).contains(file.toRealPath().toString());
  }

  @Test
  void noLinkLeadsOneWatchIntoTheOtherOrToTheTokens() throws IOException {
    // Links are found only while a folder is read: each watch leaves out the other's real path
    // and the tokens file's, wherever a link inside it leads.
    Path contacts = Files.createDirectories(tmp.resolve("contacts"));
    Path secrets = Files.createDirectories(tmp.resolve("secrets"));
    Path tokens = Files.writeString(secrets.resolve("tokens.json"), "{\"tokens\":[]}");
    Files.createSymbolicLink(in.resolve("to-contacts"), contacts);
    Files.createSymbolicLink(in.resolve("tokens.json"), tokens);
    Files.createSymbolicLink(contacts.resolve("to-events"), in);
    StreamRun.Request request =
        request(
            args(
                "--watch",
                in.toString(),
                "--contacts",
                contacts.toString(),
                "--auth",
                tokens.toString(),
                "--output",
                tmp.resolve("out").toString()));
    assertThat(StreamRun.notReadAsEvents(request))
        .contains(contacts.toRealPath().toString(), tokens.toRealPath().toString());
    assertThat(StreamRun.notReadAsContacts(request))
        .contains(in.toRealPath().toString(), tokens.toRealPath().toString());
  }

  @Test
  void theTokensFileIsNeverWatchedAsEventsOrContacts() throws IOException {
    Path tokens = Files.writeString(in.resolve("tokens.json"), "{\"tokens\":[]}");
    assertRefused(
        "--auth " + tokens + " lies inside --watch " + in,
        "--watch",
        in.toString(),
        "--auth",
        tokens.toString(),
        "--output",
        tmp.resolve("out").toString());
  }

  @Test
  void aCheckpointToRestoreMayLieInTheStreamsOwnFoldersButNothingIsWrittenIntoIt()
      throws IOException {
    Path out = tmp.resolve("out");
    Path checkpoint = Files.createDirectories(out.resolve("_checkpoints/0a1b/chk-3"));
    StreamRun.Request request =
        request(
            args(
                "--watch",
                in.toString(),
                "--output",
                out.toString(),
                "--restore",
                checkpoint.toString()));
    assertThat(request.restore()).isEqualTo(checkpoint);
    assertThat(request.checkpointDir()).isEqualTo(out.resolve("_checkpoints"));

    Path savepoint = Files.createDirectories(tmp.resolve("savepoint"));
    assertRefused(
        "--output " + savepoint.resolve("out") + " lies inside --restore " + savepoint,
        "--watch",
        in.toString(),
        "--output",
        savepoint.resolve("out").toString(),
        "--restore",
        savepoint.toString());
  }

  @Test
  void theOutputHoldsNothingButAStreamsOwn() throws IOException {
    Path out = tmp.resolve("out");
    Files.createDirectories(out.resolve("events"));
    Files.writeString(out.resolve("events/part-2b1f-0.jsonl"), "{}\n");
    Files.createDirectories(out.resolve("_checkpoints/2b1f/chk-1"));
    assertThat(request(args("--watch", in.toString(), "--output", out.toString())).output())
        .isEqualTo(out);

    Files.writeString(out.resolve("notes.txt"), "mine\n");
    assertRefused(
        "--output: " + out + " is not an earlier output of data-events (it holds notes.txt)",
        "--watch",
        in.toString(),
        "--output",
        out.toString());
  }

  @Test
  void aTokensFileThatCannotBeUsedIsAUsageError() throws IOException {
    Path tokens = Files.writeString(tmp.resolve("tokens.json"), "{\"tokens\":{}}");
    assertRefused(
        "tokens file " + tokens + ": expected an object {\"tokens\":[...]}",
        "--watch",
        in.toString(),
        "--output",
        tmp.resolve("out").toString(),
        "--auth",
        tokens.toString());
  }

  @Test
  void checkpointsInsideTheOutputOnlyUnderAHiddenName() {
    Path out = tmp.resolve("out");
    assertThat(
            request(
                    args(
                        "--watch",
                        in.toString(),
                        "--output",
                        out.toString(),
                        "--checkpoint-dir",
                        out.resolve("_chk").toString()))
                .checkpointDir())
        .isEqualTo(out.resolve("_chk"));
    assertRefused(
        "--checkpoint-dir " + out + " is, or lies in a visible folder of, --output " + out,
        "--watch",
        in.toString(),
        "--output",
        out.toString(),
        "--checkpoint-dir",
        out.toString());
    assertRefused(
        "--checkpoint-dir " + out.resolve("events/chk") + " is, or lies in a visible folder of",
        "--watch",
        in.toString(),
        "--output",
        out.toString(),
        "--checkpoint-dir",
        out.resolve("events/chk").toString());
  }

  @Test
  void numericOptionsAreBounded() {
    for (String[] option :
        new String[][] {
          {"--checkpoint-interval", "5ms"},
          {"--emit-interval", "2d"},
          {"--dedup-horizon", "0"},
          {"--dedup-horizon", "106751991167301d"},
          {"--max-future", "9223372036854775807"}
        }) {
      assertThatThrownBy(
              () ->
                  request(
                      args(
                          "--watch",
                          in.toString(),
                          "--output",
                          tmp.resolve("o").toString(),
                          option[0],
                          option[1])))
          .as(option[0] + " " + option[1])
          .isInstanceOf(CommandLine.ParameterException.class)
          .hasMessageStartingWith("Invalid value for option '" + option[0] + "': '" + option[1]);
    }
  }
}
