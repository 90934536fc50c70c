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
          "Where Flink's logs go on a local run (default: a new file under the temporary folder):"
              + " a new file, or an earlier log, which is appended to. It rolls over at 100 MiB"
              + " into FILE.1 to FILE.3.")
  Path logFile;

  void configure(String command) {
    ConsoleLogging.configure(verbose, logFile, command);
  }
}
