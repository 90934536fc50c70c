package dev.dataevents.io;

import java.nio.file.Path;

/**
 * Local paths as Flink takes them. Flink's {@code Path(String)} quotes what it parses, so a URI's
 * text (where a space is {@code %20}) would name another file ({@code %2520}); a path given to
 * Flink is built from the URI itself, or, where an option takes text, written as {@code file://}
 * and the plain path, which Flink quotes once.
 */
public final class FlinkPaths {
  private FlinkPaths() {}

  /** The path as Flink's own, built from its URI. */
  public static org.apache.flink.core.fs.Path of(Path local) {
    return new org.apache.flink.core.fs.Path(local.toAbsolutePath().toUri());
  }

  /**
   * The path as the text of a Flink option (checkpoint and savepoint paths): {@code file:///...}.
   */
  public static String text(Path local) {
    return "file://" + local.toAbsolutePath().normalize();
  }
}
