package dev.dataevents.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dataevents.io.InputFiles;
import dev.dataevents.model.SourceKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
