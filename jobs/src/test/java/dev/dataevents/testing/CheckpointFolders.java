package dev.dataevents.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What a stream running in another process has checkpointed, read from its folder. */
public final class CheckpointFolders {
  private CheckpointFolders() {}

  /** Whether a checkpoint under {@code checkpoints} (job folder, {@code chk-N}) has completed. */
  public static boolean hasCompleted(Path checkpoints) throws IOException {
    if (!Files.isDirectory(checkpoints)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(checkpoints, 3)) {
      return files.anyMatch(p -> p.getFileName().toString().equals("_metadata"));
    }
  }
}
