package dev.dataevents.cli;

import dev.dataevents.io.RunMarker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.flink.configuration.ClusterOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded mini-cluster's working folders (blob storage, temporary files and spills, the REST
 * endpoint's uploads), in one folder made for this run, readable by the user alone, and removed
 * when the JVM ends. The mini-cluster removes its own folder when it closes, but a local command
 * ends the JVM as soon as its job is done ({@link Main}), usually before the cluster has closed:
 * every run left a {@code minicluster_...} tree in the temporary folder. A killed run (no shutdown
 * hook) still leaves its folder: the folder is marked with its process ({@link RunMarker}), and the
 * next run removes the folders of runs that are gone.
 */
final class EmbeddedClusterFolder {
  private EmbeddedClusterFolder() {}

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedClusterFolder.class);

  private static final String PREFIX = "data-events-cluster-";

  /** Points the mini-cluster of {@code config} at a new folder that goes with the JVM. */
  static void use(Configuration config) {
    use(config, Path.of(System.getProperty("java.io.tmpdir")));
  }

  /**
   * As {@link #use(Configuration)}, in {@code tempRoot}; first removes the folders there of runs
   * that were killed (a killed JVM runs no shutdown hook), which may hold spilled events.
   *
   * @return the new folder
   */
  static Path use(Configuration config, Path tempRoot) {
    removeLeftovers(tempRoot);
    Path folder;
    try {
      folder = Files.createTempDirectory(tempRoot, PREFIX);
      RunMarker.write(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the mini-cluster's working folder", e);
    }
    config.set(ClusterOptions.PROCESS_WORKING_DIR_BASE, folder.toString());
    // Flink's own temporary folders too (the sorts' spill files, which hold the events, the
    // shuffle's and the distributed cache's): by default they are made readable by all in the
    // temporary folder, and a killed run leaves them there.
    config.set(CoreOptions.TMP_DIRS, folder.resolve("io").toString());
    // The REST endpoint's upload folder too (else a shared flink-web-upload in the temp folder).
    config.set(WebOptions.UPLOAD_DIR, folder.resolve("web-upload").toString());
    // Only this folder, made just now: everything in it is the cluster's, from this run.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> FileUtils.deleteDirectoryQuietly(folder.toFile()),
                "data-events-cluster-folder"));
    return folder;
  }

  /**
   * Removes each {@code data-events-cluster-*} folder whose marker names a process that is gone. A
   * folder with no complete marker (an older version's, one being made, or not this tool's) and one
   * whose process lives are kept.
   */
  private static void removeLeftovers(Path tempRoot) {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(tempRoot, PREFIX + "*")) {
      for (Path entry : entries) {
        if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
            && RunMarker.alive(entry.resolve(RunMarker.NAME)).equals(Optional.of(false))) {
          FileUtils.deleteDirectoryQuietly(entry.toFile());
          LOG.info("Removed {}, left by a run that was killed", entry);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not look for leftovers of killed runs in {}", tempRoot, e);
    }
  }
}
