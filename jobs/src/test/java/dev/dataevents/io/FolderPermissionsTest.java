package dev.dataevents.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import org.junit.jupiter.api.Test;

/** A run's output that replaces a folder keeps who may read it: permissions, group, setgid bit. */
class FolderPermissionsTest extends OutputFixture {
  @Test
  void aReplacedOutputKeepsWhoMayReadIt() throws IOException {
    Path out = earlierOutput("out");
    assertThat(permissionsAfterOverwrite(out, "rwx------")).isEqualTo("rwx------");
    // One its owner made read-only is still written (the owner's rights are the run's).
    assertThat(permissionsAfterOverwrite(out, "r-xr-x---")).isEqualTo("rwxr-x---");
  }

  /**
   * A folder prepared for a team (its group, and the setgid bit that gives new files that group)
   * keeps both when a run's output takes its place: an empty one as much as an earlier output.
   */
  @Test
  void aReplacedFolderKeepsItsGroupAndSetgidBit() throws IOException {
    Path out = Files.createDirectories(tmp.resolve("empty"));
    GroupPrincipal other = anotherGroup(out);
    if (other != null) {
      Files.getFileAttributeView(out, PosixFileAttributeView.class).setGroup(other);
    }
    GroupPrincipal group = Files.readAttributes(out, PosixFileAttributes.class).group();
    Files.setAttribute(out, "unix:mode", 02770);

    OutputFolder folder = OutputFolder.prepare(out, false, LAYOUT, "events");
    write(folder.staging().resolve("report.json"), REPORT);
    folder.commit();

    assertThat(Files.readAttributes(out, PosixFileAttributes.class).group()).isEqualTo(group);
    assertThat((Integer) Files.getAttribute(out, "unix:mode") & 07777).isEqualTo(02770);
    assertThat(Files.readAttributes(out.resolve("events"), PosixFileAttributes.class).group())
        .as("the group of what the run created inside")
        .isEqualTo(group);
  }

  /**
   * A group other than the one new folders get here, that this user may give a folder (any, for
   * root; else one of the user's), or null when there is none: the test then checks the bit alone.
   */
  private static GroupPrincipal anotherGroup(Path folder) throws IOException {
    GroupPrincipal own = Files.readAttributes(folder, PosixFileAttributes.class).group();
    UserPrincipalLookupService lookup = folder.getFileSystem().getUserPrincipalLookupService();
    for (String name : new String[] {"daemon", "users", "nogroup", "adm"}) {
      try {
        GroupPrincipal group = lookup.lookupPrincipalByGroupName(name);
        if (!group.equals(own)) {
          Path probe = Files.createDirectories(folder.resolveSibling("probe-" + name));
          try {
            Files.getFileAttributeView(probe, PosixFileAttributeView.class).setGroup(group);
            return group;
          } catch (IOException notMine) {
            // not a group of this user's
          } finally {
            Files.delete(probe);
          }
        }
      } catch (IOException unknown) {
        // no such group here
      }
    }
    return null;
  }

  /** The permissions of {@code out} (given {@code before}) once a run replaced it. */
  private String permissionsAfterOverwrite(Path out, String before) throws IOException {
    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString(before));
    OutputFolder folder = OutputFolder.prepare(out, true, LAYOUT, "events");
    write(folder.staging().resolve("report.json"), REPORT);
    folder.commit();
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(out));
  }
}
