package dev.dataevents.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/** Small files replaced in one rename: a reader sees the old content or the new, never a part. */
public final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * Replaces {@code target} with {@code text} (UTF-8). The file being written sits beside it under
   * a hidden name, which readers of the folder skip; it is created as any file there is (not as a
   * temporary file, which only its owner could read), and removed when the replacement fails (a
   * full disk): nothing half-written is left behind.
   */
  public static void replace(Path target, String text) throws IOException {
    Path writing =
        Files.createFile(
            target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp"));
    try {
      Files.writeString(writing, text, StandardCharsets.UTF_8);
      Files.move(
          writing, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(writing);
    }
  }
}
