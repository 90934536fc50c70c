package dev.dataevents.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {
  @TempDir Path dir;

  private Path checkpoint(String job, int n, long modifiedMillis, boolean complete)
      throws IOException {
    Path chk = Files.createDirectories(dir.resolve(job).resolve("chk-" + n));
    if (complete) {
      Path metadata = Files.writeString(chk.resolve("_metadata"), "x");
      Files.setLastModifiedTime(metadata, FileTime.fromMillis(modifiedMillis));
    }
    return chk;
  }

  @Test
  void theNewestCompletedCheckpointOfAnyRunWins() throws IOException {
    checkpoint("job-a", 7, 1_000, true);
    Path newest = checkpoint("job-b", 2, 5_000, true);
    checkpoint("job-b", 3, 9_000, false); // still being written: no metadata
    Files.createDirectories(dir.resolve("job-b").resolve("shared"));
    assertThat(Checkpoints.newestCompleted(dir)).contains(newest);
  }

  @Test
  void nothingToResumeFrom() throws IOException {
    assertThat(Checkpoints.newestCompleted(dir.resolve("missing"))).isEmpty();
    checkpoint("job-a", 1, 1_000, false);
    assertThat(Checkpoints.newestCompleted(dir)).isEmpty();
  }
}
