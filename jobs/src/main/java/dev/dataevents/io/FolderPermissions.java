package dev.dataevents.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may read a folder, kept when a run's folder takes its place: its group's and others'
 * permissions, its group and its setgid bit.
 */
final class FolderPermissions {
  private static final Logger LOG = LoggerFactory.getLogger(FolderPermissions.class);

  /** Setgid bit of a folder's mode: what is created in it gets the folder's group. */
  private static final int SET_GROUP_ID = 02000;

  private FolderPermissions() {}

  /**
   * The folder that replaces {@code target} gets its group's and others' permissions: an output its
   * user closed to others ({@code chmod 700}) stays closed after {@code --overwrite}. The owner
   * keeps all rights: the run writes into it. It also gets the folder's group and setgid bit,
   * before anything is created in it, so that a folder prepared for a team stays the team's, inside
   * too.
   */
  static void keep(Path target, Path replacement) throws IOException {
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)
        && Files.getFileStore(replacement).supportsFileAttributeView("posix")) {
      Set<PosixFilePermission> kept =
          EnumSet.of(
              PosixFilePermission.OWNER_READ,
              PosixFilePermission.OWNER_WRITE,
              PosixFilePermission.OWNER_EXECUTE);
      for (PosixFilePermission p :
          Files.getPosixFilePermissions(target, LinkOption.NOFOLLOW_LINKS)) {
        if (!p.name().startsWith("OWNER_")) {
          kept.add(p);
        }
      }
      Files.setPosixFilePermissions(replacement, kept);
      keepGroup(target, replacement);
    }
  }

  /**
   * Gives {@code replacement} the group of {@code target}, and its setgid bit. Only where the user
   * may: changing a folder's group takes membership of it (any group for root), and a file system
   * without Unix modes has no bit to keep. Access control lists are not copied.
   */
  private static void keepGroup(Path target, Path replacement) {
    try {
      GroupPrincipal group =
          Files.readAttributes(target, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
              .group();
      Files.getFileAttributeView(replacement, PosixFileAttributeView.class).setGroup(group);
      int mode = (Integer) Files.getAttribute(target, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      if ((mode & SET_GROUP_ID) != 0) {
        int now = (Integer) Files.getAttribute(replacement, "unix:mode");
        Files.setAttribute(replacement, "unix:mode", (now & 07777) | SET_GROUP_ID);
      }
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      LOG.debug("the output keeps the group new folders get here: {}", e.toString());
    }
  }
}
