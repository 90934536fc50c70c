package dev.dataevents.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Keeps the console clean on a local run: Flink's own logs go to a file (its path printed) unless
 * {@code --verbose}. Must run before the first Flink class asks for a logger. On a cluster ({@code
 * flink run}) Flink's logging setup is left alone.
 */
final class ConsoleLogging {
  /** Set by bin/data-events: this JVM runs the job on an embedded mini-cluster. */
  static final String LOCAL_PROPERTY = "data-events.local";

  private static final String LOG_FILE_PROPERTY = "data-events.log.file";

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
          Path.of(System.getProperty("java.io.tmpdir"), "data-events-logs")
              .resolve(command + "-" + stamp + "-" + ProcessHandle.current().pid() + ".log");
    }
    System.setProperty(LOG_FILE_PROPERTY, file.toAbsolutePath().toString());
    System.setProperty("log4j2.configurationFile", "data-events-log4j2-file.properties");
  }

  /** The log file of this run, or null when logs are not written to a file by us. */
  static String logFile() {
    return System.getProperty(LOG_FILE_PROPERTY);
  }
}
