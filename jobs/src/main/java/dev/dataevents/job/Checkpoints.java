package dev.dataevents.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the newest completed checkpoint under a checkpoint folder. Flink writes {@code <dir>/<job
 * id>/chk-<n>/_metadata} last, so a checkpoint folder with its metadata file is complete; every run
 * of the same command is a new job id, so all job folders are searched.
 */
public final class Checkpoints {
  private Checkpoints() {}

  public static Optional<Path> newestCompleted(Path checkpointDir) {
    if (!Files.isDirectory(checkpointDir)) {
      return Optional.empty();
    }
    try (Stream<Path> jobs = Files.list(checkpointDir)) {
      return jobs.filter(Files::isDirectory)
          .flatMap(Checkpoints::completedIn)
          .max(Comparator.comparing(Checkpoints::modified).thenComparing(Path::toString));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Stream<Path> completedIn(Path jobDir) {
    try (Stream<Path> checkpoints = Files.list(jobDir)) {
      return checkpoints
          .filter(p -> p.getFileName().toString().startsWith("chk-"))
          .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
          .toList()
          .stream();
    } catch (IOException e) {
      return Stream.empty();
    }
  }

  private static FileTime modified(Path checkpoint) {
    try {
      return Files.getLastModifiedTime(checkpoint.resolve("_metadata"));
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }
}
