package dev.dataevents.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
import java.util.regex.Pattern;

/**
 * Keeps the console clean on a local run: Flink's own logs go to a file (its path printed) unless
 * {@code --verbose}. Must run before the first Flink class asks for a logger. On a cluster ({@code
 * flink run}) Flink's logging setup is left alone.
 */
final class ConsoleLogging {
  /** Set by bin/data-events: this JVM runs the job on an embedded mini-cluster. */
  static final String LOCAL_PROPERTY = "data-events.local";

  private static final String LOG_FILE_PROPERTY = "data-events.log.file";

  /**
   * How many rolled-over logs the file configuration keeps beside a log ({@code NAME.1} to {@code
   * NAME.3}; its {@code strategy.max}).
   */
  static final int ROLLED_LOGS = 3;

  /** The start of a line as the file configuration's layout writes it. */
  private static final Pattern LOG_LINE =
      Pattern.compile(
          "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3} (TRACE|DEBUG|INFO|WARN|ERROR|FATAL)\\s");

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
    if (file != null) {
      checkLogFile(file);
    }
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
   * Refuses a {@code --log-file} that would take over a file of the user's. A log is appended to,
   * and when it reaches 100 MiB it is renamed to {@code NAME.1}, {@code NAME.1} to {@code NAME.2}
   * and so on, the oldest deleted: so the file named, and each of those names, must be absent or a
   * log this tool wrote (its first line as the layout writes it; the file named may also be empty).
   * Anything else, a folder or a file of the user's, is a usage error, and left as it is.
   */
  static void checkLogFile(Path file) {
    if (Files.exists(file) && !isLog(file, true)) {
      throw new UsageException(
          "--log-file: "
              + file
              + " exists and is not a log of data-events; name a new file or an earlier log");
    }
    for (int i = 1; i <= ROLLED_LOGS; i++) {
      Path rolled = file.resolveSibling(file.getFileName() + "." + i);
      if (Files.exists(rolled, LinkOption.NOFOLLOW_LINKS) && !isLog(rolled, false)) {
        throw new UsageException(
            "--log-file: "
                + rolled
                + " exists and is not a log of data-events (a log rolls over into "
                + file
                + ".1 to ."
                + ROLLED_LOGS
                + "); name another file");
      }
    }
  }

  /** Whether {@code file} is a regular file that starts as this tool's logs do. */
  private static boolean isLog(Path file, boolean emptyIsLog) {
    if (!Files.isRegularFile(file)) {
      return false; // a folder, a pipe or a device: never opened
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] start = in.readNBytes(32);
      if (start.length == 0) {
        return emptyIsLog;
      }
      return LOG_LINE.matcher(new String(start, StandardCharsets.ISO_8859_1)).lookingAt();
    } catch (IOException e) {
      return false;
    }
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
