package dev.dataevents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files under an archive root are archived events: judged below the root only. */
class RecomputeCommandTest {
  @TempDir Path tmp;

  @Test
  void aFolderNamedEventsAboveTheRootDecidesNothing() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("events/run1"));
    assertThat(RecomputeCommand.inEventsFolder(root, Path.of("events/part-00000.jsonl"))).isTrue();
    assertThat(RecomputeCommand.inEventsFolder(root, Path.of("summaries/part-00000.jsonl")))
        .isFalse();
    assertThat(RecomputeCommand.inEventsFolder(root, Path.of("rejected/part-00000.jsonl")))
        .isFalse();
    assertThat(RecomputeCommand.inEventsFolder(root, Path.of("part-00000.jsonl"))).isFalse();
  }

  @Test
  void aFolderOfManyRunsReadsEachRunsEventsFolder() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("events"));
    assertThat(RecomputeCommand.inEventsFolder(root, Path.of("run1/events/part-00000.jsonl")))
        .isTrue();
    assertThat(RecomputeCommand.inEventsFolder(root, Path.of("run1/listings/part-00000.jsonl")))
        .isFalse();
  }

  @Test
  void anEventsFolderGivenAsRootIsReadWhole() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("run1/events"));
    assertThat(RecomputeCommand.inEventsFolder(root, Path.of("part-00000.jsonl"))).isTrue();
    Path link = Files.createSymbolicLink(tmp.resolve("latest"), root);
    assertThat(RecomputeCommand.inEventsFolder(link, Path.of("part-00000.jsonl"))).isTrue();
    assertThat(RecomputeCommand.inEventsFolder(root.resolve("."), Path.of("part-00000.jsonl")))
        .isTrue();
  }
}
