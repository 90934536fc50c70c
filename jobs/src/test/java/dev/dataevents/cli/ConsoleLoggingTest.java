package dev.dataevents.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a local run's Flink log goes by default: a folder of the user's own. */
class ConsoleLoggingTest {
  private static final String USER = System.getProperty("user.name");

  @TempDir Path tmp;

  @Test
  void makesAFolderOnlyTheUserCanRead() throws IOException {
    Path folder = ConsoleLogging.logFolder(tmp, USER);

    assertThat(folder).isEqualTo(tmp.resolve("data-events-logs-" + USER)).isDirectory();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)))
        .isEqualTo("rwx------");
  }

  @Test
  void usesTheUsersFolderAgain() throws IOException {
    Path first = ConsoleLogging.logFolder(tmp, USER);
    Files.writeString(first.resolve("earlier.log"), "kept");

    assertThat(ConsoleLogging.logFolder(tmp, USER)).isEqualTo(first);
    assertThat(first.resolve("earlier.log")).hasContent("kept");
  }

  @Test
  void neverFollowsALinkOrUsesAFileInItsPlace() throws IOException {
    Path target = Files.createDirectories(tmp.resolve("somewhere-else"));
    Files.createSymbolicLink(tmp.resolve("data-events-logs-" + USER), target);

    Path folder = ConsoleLogging.logFolder(tmp, USER);

    assertPrivateFolderOfItsOwn(tmp, folder);
    assertThat(target).isEmptyDirectory();

    Path other = Files.createDirectories(tmp.resolve("other"));
    Files.writeString(other.resolve("data-events-logs-" + USER), "not a folder");
    assertPrivateFolderOfItsOwn(other, ConsoleLogging.logFolder(other, USER));
    assertThat(other.resolve("data-events-logs-" + USER)).hasContent("not a folder");
  }

  @Test
  void leavesAnotherUsersFolderAlone() throws IOException {
    Path theirs = Files.createDirectory(tmp.resolve("data-events-logs-" + USER));
    UserPrincipal nobody;
    try {
      nobody =
          FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
      Files.setOwner(theirs, nobody);
    } catch (IOException | UnsupportedOperationException e) {
      nobody = null; // only root may give a folder away
    }
    assumeTrue(nobody != null, "this test needs to give a folder to another user (root)");

    Path folder = ConsoleLogging.logFolder(tmp, USER);

    assertPrivateFolderOfItsOwn(tmp, folder);
    assertThat(Files.getOwner(theirs)).isEqualTo(nobody);
  }

  @Test
  void aUserNameCannotLeadOutOfTheTemporaryFolder() throws IOException {
    Path inner = Files.createDirectories(tmp.resolve("a").resolve("b"));

    Path folder = ConsoleLogging.logFolder(inner, "../../evil");

    assertThat(folder.getParent()).isEqualTo(inner);
    try (var left = Files.list(tmp)) {
      assertThat(left).containsExactly(tmp.resolve("a"));
    }
  }

  private static void assertPrivateFolderOfItsOwn(Path parent, Path folder) throws IOException {
    assertThat(folder.getParent()).isEqualTo(parent);
    assertThat(folder.getFileName().toString())
        .startsWith("data-events-logs-")
        .isNotEqualTo("data-events-logs-" + USER);
    assertThat(Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)).isTrue();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)))
        .isEqualTo("rwx------");
  }
}
