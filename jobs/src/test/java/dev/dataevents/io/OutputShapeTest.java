package dev.dataevents.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dataevents.testing.FolderSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An output of this project is recognised by its report, known subfolders and part files, and a
 * stream's by its marker or part files: anything else is the user's, and never replaced.
 */
class OutputShapeTest extends OutputFixture {
  /**
   * An output as a stream with its checkpoints elsewhere leaves it (copied from a real run):
   * Flink's file sink's part files, finished and in progress, and its report.
   */
  private Path streamOutput(String name) throws IOException {
    Path out = dir.resolve(name);
    write(out.resolve("report.json"), REPORT);
    write(out.resolve("events/part-2a9d3ea4-a5eb-46fd-8220-a282b91ea6f1-0.jsonl"), "{}\n");
    write(out.resolve("summaries/part-92f7cb28-cbc5-4725-8ad7-2dbebe41d0d7-1.jsonl"), "{}\n");
    write(
        out.resolve(
            "listings/.part-66d60593-2f4b-45c0-a339-ba6e14d35306-2.jsonl.inprogress"
                + ".0f3c2a51-6c1e-4d1b-9a8e-2b7d5c3e1f00"),
        "{}\n");
    Files.createDirectories(out.resolve("rejected"));
    return out;
  }

  private void assertStreamOutputRefused(Path out, String why) {
    Map<String, String> before = FolderSnapshot.of(dir);
    for (boolean overwrite : new boolean[] {true, false}) {
      assertThatThrownBy(() -> OutputFolder.checkTarget(out, overwrite, LAYOUT))
          .isInstanceOf(RefusedPathException.class)
          .hasMessage(out + " is a stream's output (" + why + "); a bounded run never replaces it");
      assertThatThrownBy(() -> OutputFolder.prepare(out, overwrite, LAYOUT, "events"))
          .isInstanceOf(RefusedPathException.class);
    }
    assertThat(FolderSnapshot.of(dir)).isEqualTo(before);
    assertThat(OutputFolder.checkReusable(out, LAYOUT)).as("a stream goes on").isEqualTo(out);
  }

  @Test
  void aStreamsOutputIsNeverReplacedByABoundedRun() throws IOException {
    // Its checkpoints lie elsewhere (--checkpoint-dir), so they do not give it away.
    Path out = streamOutput("out");
    assertStreamOutputRefused(
        out, "events/part-2a9d3ea4-a5eb-46fd-8220-a282b91ea6f1-0.jsonl is a stream's part file");

    Path writing = streamOutput("writing");
    Files.delete(writing.resolve("events/part-2a9d3ea4-a5eb-46fd-8220-a282b91ea6f1-0.jsonl"));
    Files.delete(writing.resolve("summaries/part-92f7cb28-cbc5-4725-8ad7-2dbebe41d0d7-1.jsonl"));
    assertStreamOutputRefused(
        writing,
        "listings/.part-66d60593-2f4b-45c0-a339-ba6e14d35306-2.jsonl.inprogress"
            + ".0f3c2a51-6c1e-4d1b-9a8e-2b7d5c3e1f00 is a stream's part file");
  }

  @Test
  void aStreamMarksItsOutputEvenBeforeItsFirstRecord() throws IOException {
    // What a stream that has read nothing yet holds is what a bounded run's output may hold.
    Path live = earlierOutput("live");
    StreamMarker.mark(live);
    assertStreamOutputRefused(
        live, "a stream is writing into it: _data-events-stream names a running process");

    Path gone = earlierOutput("gone");
    write(gone.resolve(StreamMarker.NAME), "pid=999999999\nstarted=1\n");
    assertStreamOutputRefused(gone, "it holds _data-events-stream");
  }

  @Test
  void otherHiddenFilesInsideTheSubfoldersAreTheUsersAndRefused() throws IOException {
    // Readers skip them, but the tool did not write them: a marker or notes of the user's.
    for (String name : new String[] {"_SUCCESS", "_my-notes.txt", ".keep"}) {
      Path out = earlierOutput("out-" + name.substring(1));
      write(out.resolve("rejected").resolve(name), "mine\n");
      assertRefusedAndUntouched(out, "rejected/" + name + " is not a part file");
    }
  }

  private void assertRefusedAndUntouched(Path out, String why) {
    Map<String, String> before = FolderSnapshot.of(out);
    assertThatThrownBy(() -> OutputFolder.checkTarget(out, true, LAYOUT))
        .isInstanceOf(RefusedPathException.class)
        .hasMessage(
            out
                + " is not an earlier output of data-events ("
                + why
                + "); it is never replaced"
                + " or deleted");
    assertThatThrownBy(() -> OutputFolder.prepare(out, true, LAYOUT, "events"))
        .isInstanceOf(RefusedPathException.class);
    assertThat(FolderSnapshot.of(out)).isEqualTo(before);
    assertThat(FolderSnapshot.of(dir).keySet()).noneMatch(p -> p.startsWith("."));
  }

  @Test
  void aStrayFileIsRefused() throws IOException {
    Path out = earlierOutput("out");
    write(out.resolve("notes.txt"), "mine\n");
    assertRefusedAndUntouched(out, "it holds notes.txt");
  }

  @Test
  void anUnknownSubfolderIsRefused() throws IOException {
    Path out = earlierOutput("out");
    Files.createDirectories(out.resolve("photos"));
    assertRefusedAndUntouched(out, "it holds photos");
  }

  @Test
  void aHiddenEntryAtTheTopIsRefused() throws IOException {
    Path out = earlierOutput("out");
    Files.createDirectories(out.resolve("_checkpoints/abc/chk-1"));
    assertRefusedAndUntouched(out, "it holds _checkpoints");
  }

  @Test
  void aForeignFileInsideAKnownSubfolderIsRefused() throws IOException {
    Path out = earlierOutput("out");
    write(out.resolve("events/notes.txt"), "mine\n");
    assertRefusedAndUntouched(out, "events/notes.txt is not a part file");
  }

  @Test
  void aFolderOrLinkInsideAKnownSubfolderIsRefused() throws IOException {
    Path out = earlierOutput("out");
    Files.createDirectories(out.resolve("events/part-9.jsonl"));
    assertRefusedAndUntouched(out, "events/part-9.jsonl is not a part file");

    Path other = earlierOutput("other");
    Path mine = write(dir.resolve("mine.jsonl"), "{}\n");
    Files.createSymbolicLink(other.resolve("summaries/part-00005.jsonl"), mine);
    assertRefusedAndUntouched(other, "summaries/part-00005.jsonl is not a part file");
  }

  @Test
  void aKnownNameThatIsAFileIsRefused() throws IOException {
    Path out = earlierOutput("out");
    write(out.resolve("duplicates"), "not a folder\n");
    assertRefusedAndUntouched(out, "duplicates is not a folder");
  }

  @Test
  void noReportIsRefused() throws IOException {
    Path out = earlierOutput("out");
    Files.delete(out.resolve("report.json"));
    assertRefusedAndUntouched(out, "it has no report.json");
  }

  @Test
  void aReportThatIsNotOursIsRefused() throws IOException {
    for (String report :
        new String[] {
          "{\"name\":\"my project\"}",
          "not json",
          "{\"input_records\":3,\"accepted\":2,\"duplicates\":1}",
          "{\"input_records\":\"3\",\"accepted\":2,\"duplicates\":1,\"rejected\":0}",
          "{\"input_records\":3,\"accepted\":2,\"duplicates\":1,\"rejected\":0} trailing",
          "[" + "[".repeat(100_000)
        }) {
      Path out = earlierOutput("out");
      write(out.resolve("report.json"), report);
      assertRefusedAndUntouched(out, "report.json is not a data-events report");
      OutputFolder.deleteRecursively(out);
    }
  }

  @Test
  void aReportThatIsALinkIsRefused() throws IOException {
    Path out = earlierOutput("out");
    Path elsewhere = write(dir.resolve("elsewhere.json"), REPORT);
    Files.delete(out.resolve("report.json"));
    Files.createSymbolicLink(out.resolve("report.json"), elsewhere);
    assertRefusedAndUntouched(out, "report.json is not a data-events report");
  }

  // --- a stream's output, kept across runs ---

  @Test
  void aStreamWritesIntoAnEmptyFolderOrItsOwnEarlierOutputOnly() throws IOException {
    assertThat(OutputFolder.checkReusable(dir.resolve("new"), LAYOUT))
        .isEqualTo(dir.resolve("new"));
    Path stream = dir.resolve("live");
    write(stream.resolve("events/part-2b1f0e3c-0.jsonl"), "{}\n");
    write(stream.resolve("events/.part-2b1f0e3c-1.jsonl.inprogress.77"), "");
    Files.createDirectories(stream.resolve("_checkpoints/2b1f/chk-1"));
    write(stream.resolve(".report.json.tmp"), "");
    assertThat(OutputFolder.checkReusable(stream, LAYOUT))
        .as("before its first report")
        .isEqualTo(stream);
    write(stream.resolve("report.json"), REPORT);
    assertThat(OutputFolder.checkReusable(stream, LAYOUT)).isEqualTo(stream);
    Path bounded = earlierOutput("out");
    assertThatThrownBy(() -> OutputFolder.checkReusable(bounded, LAYOUT))
        .as("a bounded run's output: its report.json is its own")
        .isInstanceOf(RefusedPathException.class)
        .hasMessage(
            bounded
                + " is the output of a backfill or recompute, not of a stream; give an empty or"
                + " new folder");

    write(stream.resolve("notes.txt"), "mine\n");
    assertThatThrownBy(() -> OutputFolder.checkReusable(stream, LAYOUT))
        .isInstanceOf(RefusedPathException.class)
        .hasMessage(
            stream
                + " is not an earlier output of data-events (it holds notes.txt); give an empty or"
                + " new folder");
  }
}
