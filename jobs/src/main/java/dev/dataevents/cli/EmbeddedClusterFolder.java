package dev.dataevents.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.ClusterOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.util.FileUtils;

/**
 * The embedded mini-cluster's working folders (blob storage, temporary files and spills, the REST
 * endpoint's uploads), in one folder made for this run, readable by the user alone, and removed
 * when the JVM ends. The mini-cluster removes its own folder when it closes, but a local command
 * ends the JVM as soon as its job is done ({@link Main}), usually before the cluster has closed:
 * every run left a {@code minicluster_...} tree in the temporary folder.
 */
final class EmbeddedClusterFolder {
  private EmbeddedClusterFolder() {}

  /** Points the mini-cluster of {@code config} at a new folder that goes with the JVM. */
  static void use(Configuration config) {
    Path folder;
    try {
      folder = Files.createTempDirectory("data-events-cluster-");
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
  }
}
