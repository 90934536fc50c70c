package dev.dataevents.cli;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * The one line a run prints when it is stopped (Ctrl-C or a kill end the JVM through its shutdown
 * hooks), saying what became of its output, where there would otherwise be none after the progress
 * lines. Closed when the run ends otherwise: its summary or its error says so instead.
 */
final class StopLine implements AutoCloseable {
  private final Thread hook;

  /**
   * @param inPlace whether progress is redrawn in place (a terminal), without a line end: the line
   *     ends it first
   * @param line what to say, asked when the run is stopped
   */
  StopLine(PrintStream err, boolean inPlace, Supplier<String> line) {
    String lineEnd = inPlace ? System.lineSeparator() : "";
    hook = new Thread(() -> err.println(lineEnd + line.get()), "data-events-stopped");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the line is on its way
    }
  }
}
