package dev.dataevents.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dataevents.io.InputFiles;
import dev.dataevents.model.SourceKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line words what the input finder refuses: the option first, exit 2. */
class BoundedOptionsTest {
  @TempDir Path tmp;

  @Test
  void aMissingInputIsAUsageErrorNamingItsOption() {
    Path missing = tmp.resolve("nope.jsonl");
    assertThatThrownBy(
            () ->
                BoundedOptions.addFiles(
                    new InputFiles(), "--summaries", List.of(missing), SourceKind.SUMMARIES))
        .isInstanceOf(UsageException.class)
        .hasMessage("--summaries: no such file or folder: " + missing);
  }

  @Test
  void aFolderWithoutWhatTheOptionTakesIsAUsageErrorSayingWhatItTakes() throws IOException {
    Path run = Files.createDirectories(tmp.resolve("run/summaries"));
    Files.writeString(run.resolve("part-00000.jsonl"), "{}\n");
    assertThatThrownBy(
            () ->
                BoundedOptions.addFiles(
                    new InputFiles(),
                    "--archive",
                    tmp.resolve("run"),
                    SourceKind.EVENTS,
                    relative -> false,
                    "inside an events/ folder"))
        .isInstanceOf(UsageException.class)
        .hasMessage(
            "--archive: no *.jsonl, *.json or *.ndjson files (gzipped or not) inside an events/"
                + " folder under "
                + tmp.resolve("run"));
  }

  /** Runs the command line; returns its exit code and what it wrote to stderr. */
  private static String run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine commandLine = DataEventsCommand.commandLine();
    commandLine.setErr(new PrintWriter(err, true));
    int code = commandLine.execute(args);
    return code + " " + err;
  }

  private String refusal(String option, String path) {
    return "2 error: "
        + option
        + ": "
        + path
        + " is not a regular file or a folder (save a pipe's lines to a file first)"
        + System.lineSeparator();
  }

  @Test
  void aPipeOrADeviceIsRefusedAsSuchWhateverItsName() throws IOException {
    // A pipe named through /proc/self/fd (as /dev/stdin is) has no real path: "pipe:[123]".
    Pipe pipe = Pipe.open();
    try (Pipe.SourceChannel source = pipe.source();
        Pipe.SinkChannel sink = pipe.sink()) {
      Path named = pipeOfThisProcess();
      String out = tmp.resolve("out").toString();
      for (String input : List.of("/dev/null", named.toString())) {
        assertThat(run("backfill", "--input", input, "--output", out))
            .isEqualTo(refusal("--input", input));
        assertThat(run("recompute", "--archive", input, "--output", out))
            .isEqualTo(refusal("--archive", input));
      }
      Path events = Files.writeString(tmp.resolve("events.jsonl"), "{}\n");
      assertThat(
              run(
                  "backfill",
                  "--input",
                  events.toString(),
                  "--summaries",
                  named.toString(),
                  "--output",
                  out))
          .isEqualTo(refusal("--summaries", named.toString()));
      assertThat(tmp.resolve("out")).doesNotExist();
    }
  }

  /** A /proc/self/fd entry of this process that is a pipe. */
  private static Path pipeOfThisProcess() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          if (Files.readSymbolicLink(fd).toString().startsWith("pipe:")) {
            return fd;
          }
        } catch (IOException e) {
          // closed meanwhile (the listing's own descriptor)
        }
      }
    }
    throw new AssertionError("this process has no pipe open");
  }

  @Test
  void filesFoundAreAddedWithTheirKind() throws IOException {
    Path events = Files.writeString(tmp.resolve("events.jsonl"), "{}\n");
    InputFiles files = new InputFiles();
    BoundedOptions.addFiles(files, "--input", List.of(events), SourceKind.EVENTS);
    assertThat(files.catalog().files())
        .singleElement()
        .extracting(f -> f.kind())
        .isEqualTo(SourceKind.EVENTS);
  }
}
