package dev.dataevents.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;

/**
 * Keeps the console clean on a local run: Flink's own logs go to a file (its path printed) unless
 * {@code --verbose}. Must run before the first Flink class asks for a logger. On a cluster ({@code
 * flink run}) Flink's logging setup is left alone.
 */
final class ConsoleLogging {
  /** Set by bin/data-events: this JVM runs the job on an embedded mini-cluster. */
  static final String LOCAL_PROPERTY = "data-events.local";

  private static final String LOG_FILE_PROPERTY = "data-events.log.file";

  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rwx------");

  private ConsoleLogging() {}

  static boolean isLocal() {
    return Boolean.getBoolean(LOCAL_PROPERTY);
  }

  /**
   * Points log4j at the file or the console configuration.
   *
   * @param verbose Flink's logs on stderr instead of a file
   * @param logFile the log file, or null for one under the temporary folder
   * @param command the subcommand, for the default file name
   */
  static void configure(boolean verbose, Path logFile, String command) {
    if (!isLocal()) {
      return;
    }
    if (verbose) {
      System.setProperty("log4j2.configurationFile", "data-events-log4j2-console.properties");
      return;
    }
    Path file = logFile;
    if (file == null) {
      String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      file =
          logFolder(Path.of(System.getProperty("java.io.tmpdir")), System.getProperty("user.name"))
              .resolve(command + "-" + stamp + "-" + ProcessHandle.current().pid() + ".log");
    }
    System.setProperty(LOG_FILE_PROPERTY, file.toAbsolutePath().toString());
    System.setProperty("log4j2.configurationFile", "data-events-log4j2-file.properties");
  }

  /**
   * This user's folder for Flink's logs in {@code tmp}: {@code data-events-logs-USER}, readable by
   * the user alone. On a machine several people use, one shared folder would belong to whoever ran
   * first: the others' logs could not be written there, and theirs could be read by all. When the
   * folder cannot be used (made by someone else, a link, a file), a new private folder is used
   * instead; when even that fails, {@code tmp} itself, where log4j reports what it cannot write.
   */
  static Path logFolder(Path tmp, String user) {
    Path folder = tmp.resolve("data-events-logs-" + user.replaceAll("[^A-Za-z0-9._-]", "_"));
    try {
      try {
        if (POSIX) {
          Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
          Files.createDirectory(folder);
        }
      } catch (FileAlreadyExistsException e) {
        // Made before (by an earlier run, or by someone else): checked below.
      }
      if (Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)
          && Files.isWritable(folder)
          && Files.getOwner(folder, LinkOption.NOFOLLOW_LINKS).getName().equals(user)) {
        return folder;
      }
      // Private to this user on POSIX file systems, like every temporary folder Java makes.
      return Files.createTempDirectory(tmp, "data-events-logs-");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return tmp;
    }
  }

  /** The log file of this run, or null when logs are not written to a file by us. */
  static String logFile() {
    return System.getProperty(LOG_FILE_PROPERTY);
  }
}
