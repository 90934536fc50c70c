package dev.dataevents.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dataevents.model.InputFile;
import dev.dataevents.model.SourceCatalog;
import dev.dataevents.model.SourceKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputFilesTest {
  @TempDir Path dir;

  private Path touch(String relative) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{}\n");
    return file;
  }

  @Test
  void readsFoldersRecursivelyForJsonLinesNamesAndSortsBySource() throws IOException {
    touch("b/2024-02.jsonl.gz");
    touch("a.json");
    touch("b/2024-01.ndjson");
    touch("b/c/deep.JSONL");
    touch("notes.txt");
    touch(".hidden.jsonl");
    touch("_tmp/x.jsonl");
    touch("b/.part-1.jsonl.inprogress");

    SourceCatalog catalog = new InputFiles().add(dir, SourceKind.EVENTS).catalog();

    assertThat(catalog.files())
        .extracting(InputFile::source)
        .containsExactly(
            dir.resolve("a.json").toString(),
            dir.resolve("b/2024-01.ndjson").toString(),
            dir.resolve("b/2024-02.jsonl.gz").toString(),
            dir.resolve("b/c/deep.JSONL").toString());
    assertThat(catalog.totalBytes()).isEqualTo(4 * 3);
  }

  @Test
  void aFileNamedDirectlyIsReadWhateverItsNameAndOnlyOnce() throws IOException {
    Path file = touch("export.txt");
    SourceCatalog catalog =
        new InputFiles().add(file, SourceKind.EVENTS).add(file, SourceKind.EVENTS).catalog();
    assertThat(catalog.files()).hasSize(1);
    assertThat(catalog.indexOf(file.toAbsolutePath().toString())).isZero();
  }

  // ---------------------------------------------------------------- links inside a folder

  private List<String> sources(Path folder) {
    return new InputFiles()
        .add(folder, SourceKind.EVENTS).catalog().files().stream().map(InputFile::source).toList();
  }

  @Test
  void aLinkedFolderIsReadAsAFolderAsFlinksFileSourceReadsIt() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    touch("in/a.jsonl");
    touch("elsewhere/2024/r.jsonl");
    Files.createSymbolicLink(in.resolve("2024"), dir.resolve("elsewhere/2024"));
    assertThat(sources(in))
        .containsExactly(in.resolve("2024/r.jsonl").toString(), in.resolve("a.jsonl").toString());
  }

  @Test
  void aLinkLoopIsWalkedOnceAndEachFileReadOnce() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    touch("in/a.jsonl");
    touch("in/sub/b.jsonl");
    Files.createSymbolicLink(in.resolve("sub/up"), in);
    Files.createSymbolicLink(in.resolve("again"), in.resolve("sub"));
    // in/sub is reached as in/again too: each file once, under its first name in string order.
    assertThat(sources(in))
        .containsExactly(in.resolve("a.jsonl").toString(), in.resolve("again/b.jsonl").toString());
  }

  @Test
  void aFileReachedUnderTwoNamesIsReadOnceUnderTheFirstByName() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    touch("in/b-2024-11.jsonl");
    Files.createSymbolicLink(in.resolve("a-latest.jsonl"), in.resolve("b-2024-11.jsonl"));
    assertThat(sources(in)).containsExactly(in.resolve("a-latest.jsonl").toString());
  }

  @Test
  void aLinkToNothingNamedAsInputIsKeptSoThatReadingItFailsNamingIt() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    touch("in/a.jsonl");
    Files.createSymbolicLink(in.resolve("gone.jsonl"), dir.resolve("deleted.jsonl"));
    Files.createSymbolicLink(in.resolve("gone.txt"), dir.resolve("deleted.txt"));
    SourceCatalog catalog = new InputFiles().add(in, SourceKind.EVENTS).catalog();
    assertThat(catalog.files())
        .extracting(InputFile::source)
        .containsExactly(in.resolve("a.jsonl").toString(), in.resolve("gone.jsonl").toString());
    assertThat(catalog.files().get(1).size()).isZero();
  }

  @Test
  void aMissingPathIsRefused() {
    assertThatThrownBy(() -> new InputFiles().add(dir.resolve("nope.jsonl"), SourceKind.EVENTS))
        .isInstanceOf(RefusedPathException.class)
        .hasMessage("no such file or folder: " + dir.resolve("nope.jsonl"));
  }

  /**
   * A named pipe has no size to split by: read as a file of 0 bytes, a run of it "succeeded" with
   * no records while the writer waited for a reader.
   */
  @Test
  void aPipeNamedDirectlyIsRefused() throws Exception {
    Path pipe = dir.resolve("events.jsonl");
    Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
    assertThatThrownBy(() -> new InputFiles().add(pipe, SourceKind.EVENTS))
        .isInstanceOf(RefusedPathException.class)
        .hasMessageStartingWith(pipe + " is not a regular file");
  }

  @Test
  void aFolderWithoutInputFilesIsRefused() throws IOException {
    touch("readme.md");
    assertThatThrownBy(() -> new InputFiles().add(dir, SourceKind.SUMMARIES))
        .isInstanceOf(RefusedPathException.class)
        .hasMessageStartingWith("no *.jsonl, *.json or *.ndjson files")
        .hasMessageNotContaining("--");
  }

  @Test
  void keepsEachFilesKind() throws IOException {
    Path events = touch("events.jsonl");
    Path summaries = touch("summaries.jsonl");
    SourceCatalog catalog =
        new InputFiles()
            .add(events, SourceKind.EVENTS)
            .add(summaries, SourceKind.SUMMARIES)
            .catalog();
    assertThat(catalog.files())
        .extracting(InputFile::kind)
        .containsExactly(SourceKind.EVENTS, SourceKind.SUMMARIES);
  }

  @Test
  void aFileReachedInsideAFolderIsFoundWhateverLinkLedThere() throws IOException {
    Path old = touch("out/events/part-0.jsonl");
    touch("in/a.jsonl");
    Files.createSymbolicLink(dir.resolve("in/prev"), dir.resolve("out"));
    InputFiles files = new InputFiles().add(dir.resolve("in"), SourceKind.EVENTS);
    assertThat(files.firstInside(dir.resolve("out").toRealPath()))
        .contains(dir.resolve("in/prev/events/part-0.jsonl").toString());
    assertThat(files.firstInside(dir.resolve("elsewhere"))).isEmpty();
    assertThat(old).exists();
  }

  // ---------------------------------------------------------------- one role per file

  private static List<String> roles(SourceCatalog catalog) {
    return catalog.files().stream().map(f -> f.source() + " " + f.kind()).toList();
  }

  @Test
  void aFileNamedForARoleIsReadInThatRoleWhenAnInputFolderAlsoHoldsIt() throws IOException {
    // Exports and their summaries kept in one folder: --input exports --summaries exports/s.jsonl
    Path events = touch("exports/a.jsonl");
    Path summaries = touch("exports/s.jsonl");
    SourceCatalog catalog =
        new InputFiles()
            .add(dir.resolve("exports"), SourceKind.EVENTS)
            .add(summaries, SourceKind.SUMMARIES)
            .catalog();
    assertThat(roles(catalog)).containsExactly(events + " EVENTS", summaries + " SUMMARIES");
  }

  @Test
  void aFileNamedForTwoRolesIsRefusedNotReadInOne() throws IOException {
    Path file = touch("both.jsonl");
    InputFiles files = new InputFiles().add(file, SourceKind.EVENTS);
    assertThatThrownBy(() -> files.add(file, SourceKind.CONTACTS))
        .isInstanceOf(RefusedPathException.class)
        .hasMessage(file + " is read already as events; a file is read in one role");
  }

  @Test
  void aFolderGivenForTwoRolesIsRefused() throws IOException {
    touch("mixed/a.jsonl");
    InputFiles files = new InputFiles().add(dir.resolve("mixed"), SourceKind.EVENTS);
    assertThatThrownBy(() -> files.add(dir.resolve("mixed"), SourceKind.SUMMARIES))
        .isInstanceOf(RefusedPathException.class)
        .hasMessage(
            dir.resolve("mixed/a.jsonl")
                + " is read already as events; a file is read in one role");
  }

  @Test
  void aFileNamedAsInputAndFoundInAnotherRolesFolderStaysInput() throws IOException {
    Path file = touch("imports/s.jsonl");
    Path other = touch("imports/t.jsonl");
    SourceCatalog catalog =
        new InputFiles()
            .add(file, SourceKind.EVENTS)
            .add(dir.resolve("imports"), SourceKind.SUMMARIES)
            .catalog();
    assertThat(roles(catalog)).containsExactly(file + " EVENTS", other + " SUMMARIES");
  }

  @Test
  void aFilterJudgesFilesOnTheirPathRelativeToTheFolderGiven() throws IOException {
    touch("events/run1/events/part-00000.jsonl");
    touch("events/run1/summaries/part-00000.jsonl");
    List<Path> seen = new ArrayList<>();
    SourceCatalog catalog =
        new InputFiles()
            .add(
                dir.resolve("events/run1"),
                SourceKind.EVENTS,
                relative -> seen.add(relative) && relative.startsWith("events"),
                "inside an events/ folder")
            .catalog();
    assertThat(seen)
        .containsExactlyInAnyOrder(
            Path.of("events/part-00000.jsonl"), Path.of("summaries/part-00000.jsonl"));
    assertThat(catalog.files())
        .extracting(InputFile::source)
        .containsExactly(dir.resolve("events/run1/events/part-00000.jsonl").toString());
  }

  @Test
  void aFilterThatTakesNothingSaysWhatItTakes() throws IOException {
    touch("run/summaries/part-00000.jsonl");
    assertThatThrownBy(
            () ->
                new InputFiles()
                    .add(
                        dir.resolve("run"),
                        SourceKind.EVENTS,
                        relative -> false,
                        "inside an events/ folder"))
        .isInstanceOf(RefusedPathException.class)
        .hasMessageStartingWith("no *.jsonl")
        .hasMessageContaining("inside an events/ folder under " + dir.resolve("run"));
  }
}
