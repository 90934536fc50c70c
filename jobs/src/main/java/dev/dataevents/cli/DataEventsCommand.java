package dev.dataevents.cli;

import dev.dataevents.io.RefusedPathException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level command: a family of jobs over the same contract. */
@Command(
    name = "data-events",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Intercom-style data events on Apache Flink: validate events, keep their first metadata"
          + " keys, drop duplicates, and write per-contact summaries and 90-day listings.",
      ""
    },
    commandListHeading = "%nCommands:%n",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:the job failed, or bin/data-events could not start it (no Java 17 or newer, no Maven to"
          + " build the job jar, or the build failed)",
      "2:wrong options or inputs",
      "130:stopped with Ctrl-C (143 when stopped with kill); a backfill's or recompute's output is"
          + " left as it was, a stream resumes when run again"
    },
    footer = {"", "'data-events COMMAND --help' shows the options of a command."},
    subcommands = {
      BackfillCommand.class,
      RecomputeCommand.class,
      StreamCommand.class,
      ReportCommand.class,
      LatestCommand.class,
      CommandLine.HelpCommand.class
    })
public final class DataEventsCommand implements Runnable {
  /** Exit code for a wrong option, missing input or existing output. */
  public static final int EXIT_USAGE = 2;

  /** Exit code for a job that failed. */
  public static final int EXIT_FAILED = 1;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Also an option of each job's subcommand, where it is usually given. */
  @CommandLine.Option(
      names = "--jobmanager",
      paramLabel = "HOST:PORT",
      description = RunTargetOptions.JOBMANAGER_DESCRIPTION)
  String jobManager;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /** The command line with one-line errors: no stack traces for users' mistakes. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new DataEventsCommand());
    // Every path option of every subcommand (registered after they were added, so they have it).
    commandLine.registerConverter(Path.class, Converters.PATH);
    commandLine.setParameterExceptionHandler(
        (e, args) -> {
          PrintWriter err = e.getCommandLine().getErr();
          err.println(
              "error: "
                  + e.getMessage().replaceFirst("^Error: ", "")
                  + UsageHints.of(e.getCommandLine(), args)
                  + " (see '"
                  + e.getCommandLine().getCommandSpec().qualifiedName()
                  + " --help')");
          err.flush();
          return EXIT_USAGE;
        });
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parseResult) -> {
          PrintWriter err = cmd.getErr();
          // A path refused below the command line (a checkpoint folder of another command) is as
          // much the user's to fix as an option. A file system that fails a valid request (a full
          // disk while staging or writing the output) fails the run instead.
          if (e instanceof UsageException || e instanceof RefusedPathException) {
            err.println("error: " + e.getMessage());
            err.flush();
            return EXIT_USAGE;
          }
          err.println("error: the job failed: " + rootCause(e) + memoryHint(e));
          String log = ConsoleLogging.logFile();
          if (log != null) {
            err.println("Flink's log: " + log);
          }
          err.flush();
          return EXIT_FAILED;
        });
    return commandLine;
  }

  /**
   * What to do when the job ran out of heap: a contact's state (its 90-day listing, sorted newest
   * first) is held whole, and a contact with a gigabyte of listed metadata needs more than the
   * launcher's default heap.
   */
  static String memoryHint(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof OutOfMemoryError) {
        return " (a contact's state is held in memory whole: give the JVM more, e.g."
            + " DATA_EVENTS_JAVA_OPTS=-Xmx8g, the launcher's default being -Xmx2g)";
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return "";
  }

  static String rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
