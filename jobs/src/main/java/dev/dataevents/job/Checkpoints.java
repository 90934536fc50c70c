package dev.dataevents.job;

import dev.dataevents.io.RefusedPathException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;

/**
 * The completed checkpoints of one Flink job folder ({@code <dir>/<job id>/chk-<n>/_metadata}), and
 * whether one can be restored. Flink writes {@code _metadata} last (to a hidden file, renamed into
 * place), so a {@code chk-<n>} folder with it is complete; it may still be unreadable if the file
 * was damaged afterwards.
 */
public final class Checkpoints {
  static final String METADATA = "_metadata";
  private static final String PREFIX = "chk-";

  private Checkpoints() {}

  /**
   * The completed checkpoints of a job folder, newest (highest number) first.
   *
   * @throws RefusedPathException when the folder cannot be read: taken for one without checkpoints,
   *     a stream would start afresh and forget what it had deduplicated and counted
   */
  public static List<Path> completedIn(Path jobDir) {
    if (!Files.isDirectory(jobDir)) {
      return List.of();
    }
    try (Stream<Path> checkpoints = Files.list(jobDir)) {
      return checkpoints
          .filter(p -> number(p) >= 0)
          .filter(p -> Files.isRegularFile(p.resolve(METADATA)))
          .sorted(Comparator.comparingLong(Checkpoints::number).reversed())
          .toList();
    } catch (NoSuchFileException e) {
      return List.of(); // removed meanwhile (an earlier run's folder, cleaned up)
    } catch (IOException e) {
      throw cannotRead(jobDir, e);
    } catch (UncheckedIOException e) {
      throw cannotRead(jobDir, e.getCause()); // a folder that opened but whose entries did not
    }
  }

  private static RefusedPathException cannotRead(Path jobDir, IOException e) {
    return new RefusedPathException(
        "cannot read checkpoint folder "
            + jobDir
            + " ("
            + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + e.getMessage().replaceAll("[\\r\\n]+", " "))
            + "); make it readable, or restore a checkpoint explicitly");
  }

  /** The {@code n} of a {@code chk-<n>} folder, or -1 for any other name. */
  static long number(Path checkpoint) {
    String name = checkpoint.getFileName().toString();
    if (!name.startsWith(PREFIX) || name.length() == PREFIX.length() || name.length() > 19) {
      return -1;
    }
    for (int i = PREFIX.length(); i < name.length(); i++) {
      if (name.charAt(i) < '0' || name.charAt(i) > '9') {
        return -1;
      }
    }
    return Long.parseLong(name.substring(PREFIX.length()));
  }

  /**
   * Why a completed checkpoint cannot be restored, or empty when Flink's own loader reads its
   * metadata whole and it names the checkpoint of its folder.
   */
  public static Optional<String> unreadable(Path checkpoint) {
    Path metadata = checkpoint.resolve(METADATA);
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(metadata)))) {
      // Loaded, never disposed: disposing would delete the checkpoint's state files.
      CheckpointMetadata loaded =
          org.apache.flink.runtime.checkpoint.Checkpoints.loadCheckpointMetadata(
              in, Checkpoints.class.getClassLoader(), checkpoint.toString());
      if (loaded.getCheckpointId() != number(checkpoint)) {
        return Optional.of(
            "its metadata is that of checkpoint " + loaded.getCheckpointId() + ", not this one");
      }
      if (in.read() != -1) {
        return Optional.of("its metadata has bytes after its end");
      }
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.of(e.toString());
    } catch (OutOfMemoryError e) {
      // A damaged length field can ask for a huge array; the allocation failed, nothing is held.
      return Optional.of(
          "its metadata asks for more memory than there is (" + e.getMessage() + ")");
    }
  }
}
