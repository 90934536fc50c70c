package dev.dataevents.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where Flink's own logs go on a local run. */
final class LoggingOptions {
  @Option(
      names = {"-v", "--verbose"},
      description = "Show Flink's logs on stderr instead of writing them to a log file.")
  boolean verbose;

  @Option(
      names = "--log-file",
      paramLabel = "FILE",
      description =
          "Where Flink's logs go on a local run (default: a new file under the temporary folder).")
  Path logFile;

  void configure(String command) {
    ConsoleLogging.configure(verbose, logFile, command);
  }
}
