package dev.dataevents.cli;

import static dev.dataevents.testing.OutputFiles.files;
import static dev.dataevents.testing.OutputFiles.lines;
import static dev.dataevents.testing.OutputFiles.sampleData;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.testing.CommandProcess;
import dev.dataevents.testing.FolderSnapshot;
import dev.dataevents.testing.MiniCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as users meet it: exit codes and one-line errors, no stack traces. */
class CommandLineITCase {
  @RegisterExtension static final MiniClusterExtension CLUSTER = MiniCluster.extension();

  @TempDir Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = DataEventsCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private String[] backfill(Path output, String... more) {
    String[] base = {
      "backfill",
      "--input",
      sampleData().resolve("events.jsonl").toString(),
      "--summaries",
      sampleData().resolve("summaries.jsonl").toString(),
      "--output",
      output.toString(),
      "--as-of",
      "2026-11-01T00:00:00Z",
      "--parallelism",
      "2"
    };
    String[] args = new String[base.length + more.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return args;
  }

  @Test
  void backfillWritesTheOutputAndAnExistingOutputIsRefusedUnlessOverwrite() throws Exception {
    Path output = tmp.resolve("out");
    assertThat(run(backfill(output))).isZero();
    assertThat(output.resolve("report.json")).exists();
    assertThat(Files.readString(output.resolve("report.json")))
        .contains("\"reference_time\" : 1793491200");

    assertThat(run(backfill(output))).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "error: --output: "
                + output
                + " exists and is not empty (add --overwrite to replace it)"
                + System.lineSeparator());

    assertThat(run(backfill(output, "--overwrite"))).isZero();
  }

  @Test
  void pathsWithSpacesPercentSignsAndNonAsciiAreReadAndWrittenWhereTheySay() throws Exception {
    // Flink paths built from URI strings would read "%20" literally: a space in a folder's name
    // must neither hide an input nor send the output elsewhere.
    for (String name : List.of("sp ace", "100% #1?", "caf\u00e9 [x] {y}")) {
      Path folder = Files.createDirectories(tmp.resolve(name).resolve("in " + name));
      Files.copy(sampleData().resolve("events.jsonl"), folder.resolve("e " + name + ".jsonl"));
      Path output = tmp.resolve(name).resolve("out " + name);
      err.getBuffer().setLength(0);
      assertThat(
              run(
                  "backfill",
                  "--input",
                  folder.toString(),
                  "--output",
                  output.toString(),
                  "--as-of",
                  "2026-11-01T00:00:00Z",
                  "--parallelism",
                  "2"))
          .as(name + ": " + err)
          .isZero();
      Path reference = tmp.resolve("reference-" + Math.abs(name.hashCode()));
      assertThat(
              run(
                  "backfill",
                  "--input",
                  sampleData().resolve("events.jsonl").toString(),
                  "--output",
                  reference.toString(),
                  "--as-of",
                  "2026-11-01T00:00:00Z",
                  "--parallelism",
                  "2"))
          .isZero();
      for (String sub : List.of("events", "summaries", "listings")) {
        assertThat(files(output.resolve(sub)))
            .as(name + " " + sub)
            .isEqualTo(files(reference.resolve(sub)));
      }
      assertThat(lines(output, "rejected"))
          .isNotEmpty()
          .allSatisfy(
              r ->
                  assertThat(r)
                      .contains("\"source\":\"" + folder.resolve("e " + name + ".jsonl") + "\""));
      // Nothing but the output beside it: no staging folder left.
      try (var beside = Files.list(tmp.resolve(name))) {
        assertThat(beside.map(p -> p.getFileName().toString()))
            .containsExactlyInAnyOrder("in " + name, "out " + name);
      }
    }
  }

  @Test
  void aColonInANameIsPartOfTheNameInAFolderAndNamedDirectly() throws Exception {
    // Flink's Path("a:b.jsonl") would take "a" for a URI scheme.
    Path folder = Files.createDirectories(tmp.resolve("in:put"));
    Path file = Files.copy(sampleData().resolve("events.jsonl"), folder.resolve("a:b.jsonl"));
    Path reference = tmp.resolve("reference");
    assertThat(run(backfillOf(sampleData().resolve("events.jsonl"), reference))).isZero();
    for (Path input : List.of(folder, file)) {
      Path output = tmp.resolve("out:" + input.getFileName());
      assertThat(run(backfillOf(input, output))).as(input + ": " + err).isZero();
      for (String sub : List.of("events", "summaries", "listings")) {
        assertThat(files(output.resolve(sub)))
            .as(input + " " + sub)
            .isEqualTo(files(reference.resolve(sub)));
      }
      assertThat(lines(output, "rejected"))
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r).contains("\"source\":\"" + file + "\""));
    }
  }

  private static String[] backfillOf(Path input, Path output) {
    return new String[] {
      "backfill",
      "--input",
      input.toString(),
      "--output",
      output.toString(),
      "--as-of",
      "2026-11-01T00:00:00Z",
      "--parallelism",
      "2"
    };
  }

  /**
   * Run as bin/data-events runs it (on the embedded mini-cluster): in process, as here elsewhere,
   * the command runs as under {@code flink run}, where the cluster gets every core.
   */
  @Test
  void aSmallLocalRunLeavesACoreByDefaultAndACompressedInputUsesEveryCore() throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    Path scratch = Files.createDirectories(tmp.resolve("scratch"));
    Path plain = tmp.resolve("plain");
    CommandProcess.Result small =
        CommandProcess.run(
            tmp,
            scratch,
            backfillAtDefaultParallelism(
                sampleData().resolve("events.jsonl").toAbsolutePath(), plain));
    assertThat(small.exitCode()).as(small.stderr()).isZero();
    assertThat(Files.readString(plain.resolve("report.json")))
        .contains("\"parallelism\" : " + Math.max(1, cores - 1) + ",");

    Path gz = tmp.resolve("events.jsonl.gz");
    try (var zip = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
      Files.copy(sampleData().resolve("events.jsonl"), zip);
    }
    Path compressed = tmp.resolve("compressed");
    CommandProcess.Result large =
        CommandProcess.run(tmp, scratch, backfillAtDefaultParallelism(gz, compressed));
    assertThat(large.exitCode()).as(large.stderr()).isZero();
    assertThat(Files.readString(compressed.resolve("report.json")))
        .contains("\"parallelism\" : " + cores + ",");

    // In process, as under flink run: every core.
    Path cluster = tmp.resolve("cluster");
    assertThat(run(backfillAtDefaultParallelism(sampleData().resolve("events.jsonl"), cluster)))
        .isZero();
    assertThat(Files.readString(cluster.resolve("report.json")))
        .contains("\"parallelism\" : " + cores + ",");
  }

  private static String[] backfillAtDefaultParallelism(Path input, Path output) {
    return new String[] {
      "backfill",
      "--input",
      input.toString(),
      "--output",
      output.toString(),
      "--as-of",
      "2026-11-01"
    };
  }

  @Test
  void anOutputReachedThroughALinkInsideAnInputFolderIsRefusedAndKept() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Files.copy(sampleData().resolve("events.jsonl"), in.resolve("events.jsonl"));
    Path out = tmp.resolve("out");
    assertThat(run(backfillAtDefaultParallelism(in, out))).isZero();
    Files.createSymbolicLink(in.resolve("prev"), out);
    Map<String, String> before = FolderSnapshot.of(out);
    err.getBuffer().setLength(0);
    String[] again = backfillAtDefaultParallelism(in, out);
    String[] overwrite = java.util.Arrays.copyOf(again, again.length + 1);
    overwrite[again.length] = "--overwrite";
    assertThat(run(overwrite)).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("error: --output " + out + " is read through a link: " + in.resolve("prev"))
        .endsWith(
            " lies inside it: outputs, checkpoints and logs must lie outside every input"
                + System.lineSeparator());
    assertThat(FolderSnapshot.of(out)).isEqualTo(before);
  }

  @Test
  void aMissingInputIsAOneLineErrorWithExitCode2() {
    int code =
        run(
            "backfill",
            "--input",
            tmp.resolve("missing.jsonl").toString(),
            "--output",
            tmp.resolve("o").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString().lines())
        .singleElement()
        .asString()
        .startsWith("error: --input: no such file");
    assertThat(tmp.resolve("o")).doesNotExist();
  }

  @Test
  void wrongOptionsAreOneLineErrorsWithExitCode2() {
    assertThat(run("backfill", "--bogus")).isEqualTo(2);
    assertThat(err.toString().lines()).hasSize(1);
    err.getBuffer().setLength(0);

    assertThat(run(backfill(tmp.resolve("o"), "--per-page", "0"))).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "error: Invalid value for option '--per-page': '0' is not a whole number from 1 to"
                + " 1000 (see 'data-events backfill --help')"
                + System.lineSeparator());
    err.getBuffer().setLength(0);

    assertThat(run(backfill(tmp.resolve("o"), "--as-of", "yesterday"))).isEqualTo(2);
    assertThat(err.toString()).contains("'yesterday'").doesNotContain("\tat ");
    err.getBuffer().setLength(0);

    assertThat(run(backfill(tmp.resolve("o"), "--workspace", "no spaces"))).isEqualTo(2);
    assertThat(err.toString().lines()).hasSize(1);
    err.getBuffer().setLength(0);

    assertThat(run("frobnicate")).isEqualTo(2);
    err.getBuffer().setLength(0);

    // An option the command lacks, after a list of paths, is taken for one more path.
    assertThat(
            run(
                "recompute",
                "--archive",
                sampleData().resolve("events.jsonl").toString(),
                "--input",
                "--output",
                tmp.resolve("o").toString()))
        .isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "error: --archive: no such file or folder: --input (nor an option of this"
                + " command: see its --help)"
                + System.lineSeparator());
  }

  @Test
  void helpExplainsEveryOption() {
    assertThat(run("backfill", "--help")).isZero();
    assertThat(out.toString())
        .contains(
            "--input",
            "--output",
            "--summaries",
            "--as-of",
            "--workspace",
            "--per-page",
            "--max-metadata-keys",
            "--max-future",
            "--duplicates",
            "--parallelism",
            "--overwrite",
            "--max-line-bytes",
            "--verbose",
            "Exit codes");
    out.getBuffer().setLength(0);
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("backfill");
  }

  private static Path events(Path file) throws Exception {
    Files.createDirectories(file.getParent());
    Files.copy(sampleData().resolve("events.jsonl"), file);
    return file;
  }

  /** Exit code 2, one line starting with {@code prefix}, and nothing under tmp changed. */
  private void assertRefused(String prefix, String... args) {
    Map<String, String> before = FolderSnapshot.of(tmp);
    err.getBuffer().setLength(0);
    assertThat(run(args)).as(String.join(" ", args)).isEqualTo(2);
    assertThat(err.toString().lines()).singleElement().asString().startsWith(prefix);
    assertThat(FolderSnapshot.of(tmp)).isEqualTo(before);
  }

  @Test
  void anOutputInsideAnInputFolderIsRefusedNotSkipped() throws Exception {
    Path in = tmp.resolve("in");
    events(in.resolve("jan.jsonl"));
    assertRefused(
        "error: --output " + in.resolve("out") + " lies inside --input " + in,
        "backfill",
        "--input",
        in.toString(),
        "--output",
        in.resolve("out").toString());
    assertRefused(
        "error: --output " + in + " is --input " + in,
        "backfill",
        "--input",
        in.toString(),
        "--output",
        in.toString(),
        "--overwrite");
  }

  @Test
  void everyInputOptionCounts() throws Exception {
    Path jan = events(tmp.resolve("exports/jan.jsonl"));
    Path summaries = tmp.resolve("imports/summaries.jsonl");
    Files.createDirectories(summaries.getParent());
    Files.copy(sampleData().resolve("summaries.jsonl"), summaries);
    assertRefused(
        "error: --output " + summaries.getParent() + " contains --summaries " + summaries,
        "backfill",
        "--input",
        jan.toString(),
        "--summaries",
        summaries.toString(),
        "--output",
        summaries.getParent().toString(),
        "--overwrite");
    assertRefused(
        "error: --output " + summaries.getParent() + " contains --contacts",
        "backfill",
        "--input",
        jan.toString(),
        "--contacts",
        summaries.toString(),
        "--output",
        summaries.getParent().toString());
    assertRefused(
        "error: --log-file " + jan + " is --input " + jan,
        "backfill",
        "--input",
        jan.toString(),
        "--output",
        tmp.resolve("out").toString(),
        "--log-file",
        jan.toString());
    assertRefused(
        "error: --log-file " + tmp.resolve("out/run.log") + " lies inside --output",
        "backfill",
        "--input",
        jan.toString(),
        "--output",
        tmp.resolve("out").toString(),
        "--log-file",
        tmp.resolve("out/run.log").toString());
    assertRefused(
        "error: --output " + tmp.resolve("exports/runs/r1") + " lies inside --archive",
        "recompute",
        "--archive",
        tmp.resolve("exports").toString(),
        "--output",
        tmp.resolve("exports/runs/r1").toString(),
        "--as-of",
        "2026-11-01");
  }

  @Test
  void linksDoNotHideAnOverlap() throws Exception {
    Path exports = tmp.resolve("exports");
    Path jan = events(exports.resolve("jan.jsonl"));
    Path link = Files.createSymbolicLink(tmp.resolve("link"), exports);
    assertRefused(
        "error: --output " + link + " contains --input " + jan,
        "backfill",
        "--input",
        jan.toString(),
        "--output",
        link.toString(),
        "--overwrite");
    assertRefused(
        "error: --output " + link.resolve("new/out") + " lies inside --input " + exports,
        "backfill",
        "--input",
        exports.toString(),
        "--output",
        link.resolve("new/out").toString());
    assertRefused(
        "error: --output " + exports + " contains --input " + link.resolve("jan.jsonl"),
        "backfill",
        "--input",
        link.resolve("jan.jsonl").toString(),
        "--output",
        exports.toString(),
        "--overwrite");
  }

  @Test
  void overwriteRefusesAFolderThatIsNotAnEarlierOutputAndLeavesItUntouched() throws Exception {
    Path output = tmp.resolve("out");
    assertThat(run(backfill(output))).isZero();
    Files.writeString(output.resolve("notes.txt"), "mine\n");
    assertRefused(
        "error: --output: "
            + output
            + " is not an earlier output of data-events (it holds"
            + " notes.txt); it is never replaced or deleted",
        backfill(output, "--overwrite"));

    Path photos = tmp.resolve("photos");
    Files.createDirectories(photos.resolve("2024"));
    Files.writeString(photos.resolve("2024/a.jpg"), "jpg");
    assertRefused(
        "error: --output: " + photos + " is not an earlier output of data-events (it holds 2024)",
        backfill(photos, "--overwrite"));
    assertRefused(
        "error: --output: " + photos + " is not an earlier output of data-events",
        backfill(photos));
  }

  @Test
  void leftoversOfAKilledRunAreRemovedByTheNextRunAndLookalikesAndSetAsideOutputsKept()
      throws Exception {
    Path output = tmp.resolve("out");
    Path staging = tmp.resolve(".out.staging-0a1b2c3d");
    Files.createDirectories(staging.resolve("events"));
    Files.writeString(staging.resolve("events/part-00000.jsonl"), "{}\n");
    Files.createDirectories(staging.resolve("summaries"));
    Files.writeString(staging.resolve("_data-events-run"), "pid=999999999\nstarted=1\n");
    Path setAside = tmp.resolve(".out.old-0a1b2c3d");
    Files.createDirectories(setAside.resolve("listings"));
    Path lookalike = tmp.resolve(".out.staging-1a1b2c3d");
    Files.createDirectories(lookalike.resolve("events"));
    Files.writeString(lookalike.resolve("events/notes.txt"), "mine\n");
    Map<String, String> lookalikeBefore = FolderSnapshot.of(lookalike);

    assertThat(run(backfill(output))).isZero();

    assertThat(staging).doesNotExist();
    // Maybe the only copy of an earlier output: a run killed between its renames leaves it so.
    assertThat(setAside.resolve("listings")).isDirectory();
    assertThat(FolderSnapshot.of(lookalike)).isEqualTo(lookalikeBefore);
    try (var siblings = Files.list(tmp)) {
      assertThat(siblings.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("out", ".out.staging-1a1b2c3d", ".out.old-0a1b2c3d");
    }
  }
}
