package dev.dataevents.io;

import dev.dataevents.model.SourceKind;
import dev.dataevents.model.SourceNaming;
import java.net.URI;
import java.nio.file.Path;

/**
 * Names the files of a watched folder, which appear while the job runs: {@code source} is the
 * folder as the user gave it joined with the file's path inside. A stream keeps the first copy to
 * arrive, so files need no index for input positions (all are 0).
 */
public final class WatchedFolder implements SourceNaming {
  private static final long serialVersionUID = 1L;

  private final String absolutePath;
  private final String shownAs;
  private final SourceKind kind;

  /** A watched folder (or file) whose lines are of {@code kind}. */
  public WatchedFolder(Path folder, SourceKind kind) {
    this.kind = kind;
    this.absolutePath =
        URI.create(folder.toAbsolutePath().normalize().toUri().toString()).getPath();
    this.shownAs = folder.normalize().toString();
  }

  @Override
  public int indexOf(String path) {
    return 0;
  }

  @Override
  public String sourceOf(String path) {
    if (path.equals(absolutePath)) {
      return shownAs; // a watched file
    }
    String base = absolutePath.endsWith("/") ? absolutePath : absolutePath + "/";
    String relative = path.startsWith(base) ? path.substring(base.length()) : path;
    return Path.of(shownAs).resolve(relative).toString();
  }

  @Override
  public SourceKind kindOf(String path) {
    return kind;
  }
}
