package dev.dataevents.cli;

/**
 * Entry point of the job jar, locally ({@code bin/data-events}) and on a cluster ({@code flink run
 * <jar> backfill ...}).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int code = DataEventsCommand.commandLine().execute(args);
    // Flink's mini-cluster leaves non-daemon threads behind; a command line tool must end.
    System.exit(code);
  }
}
