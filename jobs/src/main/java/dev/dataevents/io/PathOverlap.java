package dev.dataevents.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a folder the tool writes and a path it reads overlap, judged on real paths: every link
 * resolved, also in a path that does not exist yet (a run creates its output), so that neither a
 * link nor {@code ..} nor the current folder can hide an input inside an output.
 */
public enum PathOverlap {
  /** Unrelated paths. */
  NONE,
  /** The written folder is the read path. */
  SAME,
  /** The read path lies inside the written folder. */
  CONTAINS,
  /** The written folder lies inside the read path. */
  INSIDE;

  /** Links resolved in a chain before giving up, as the kernel does ({@code ELOOP}). */
  private static final int MAX_LINKS = 40;

  /** How {@code written} relates to {@code read}; both must be real paths ({@link #realPath}). */
  public static PathOverlap between(Path written, Path read) {
    if (written.equals(read)) {
      return SAME;
    }
    if (read.startsWith(written)) {
      return CONTAINS;
    }
    if (written.startsWith(read)) {
      return INSIDE;
    }
    return NONE;
  }

  /**
   * The real path of {@code path}: absolute, links resolved. Of a path that does not exist, its
   * nearest existing ancestor's real path joined with the rest (where a dangling link is followed
   * to where it points, as creating a file through it would).
   *
   * @throws IOException when a link chain does not end, or a folder on the way cannot be read
   */
  public static Path realPath(Path path) throws IOException {
    return resolve(path.toAbsolutePath(), new int[] {0});
  }

  private static Path resolve(Path absolute, int[] links) throws IOException {
    if (Files.exists(absolute)) {
      return absolute.toRealPath();
    }
    Path parent = absolute.getParent();
    if (parent == null) {
      return absolute; // a root that does not exist: nothing to resolve
    }
    Path realParent = resolve(parent, links);
    String name = absolute.getFileName().toString();
    if (name.equals(".")) {
      return realParent;
    }
    if (name.equals("..")) {
      return realParent.getParent() != null ? realParent.getParent() : realParent;
    }
    Path candidate = realParent.resolve(name);
    if (Files.exists(candidate)) {
      return candidate.toRealPath(); // reached through a ".." past a folder that does not exist
    }
    if (Files.isSymbolicLink(candidate)) {
      // A dangling link (an existing target was resolved above): follow it.
      if (++links[0] > MAX_LINKS) {
        throw new IOException("too many levels of symbolic links: " + absolute);
      }
      return resolve(realParent.resolve(Files.readSymbolicLink(candidate)), links);
    }
    return candidate;
  }
}
