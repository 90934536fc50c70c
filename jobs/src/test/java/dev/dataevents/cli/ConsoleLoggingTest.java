package dev.dataevents.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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

  /** A line as the file configuration's layout writes it. */
  private static final String LOG_LINE =
      "2026-11-27 20:14:05,123 INFO  org.apache.flink.runtime.minicluster.MiniCluster"
          + "              [] - Starting Flink Mini Cluster\n";

  @Test
  void aNewLogFileIsTaken() {
    ConsoleLogging.checkLogFile(tmp.resolve("run.log"));
  }

  @Test
  void anEarlierLogAndItsRolledFilesAreTakenAgain() throws IOException {
    Path log = Files.writeString(tmp.resolve("run.log"), LOG_LINE);
    Files.writeString(tmp.resolve("run.log.1"), LOG_LINE + "more\n");
    Files.writeString(tmp.resolve("run.log.3"), "2026-01-01 00:00:00,000 WARN  x - y\n");
    ConsoleLogging.checkLogFile(log);
    Files.writeString(log, "");
    ConsoleLogging.checkLogFile(log); // an empty file loses nothing to a log
  }

  /**
   * A log is appended to and rolls over into NAME.1 to NAME.3, the oldest removed: a file of the
   * user's under one of those names would be renamed or deleted.
   */
  @Test
  void aFileThatIsNoLogIsRefusedAndLeftAsItWas() throws IOException {
    Path notes = Files.writeString(tmp.resolve("notes.txt"), "my notes\n");
    assertThatThrownBy(() -> ConsoleLogging.checkLogFile(notes))
        .isInstanceOf(UsageException.class)
        .hasMessage(
            "--log-file: "
                + notes
                + " exists and is not a log of data-events; name a new file or an earlier log");
    assertThat(Files.readString(notes)).isEqualTo("my notes\n");
  }

  @Test
  void aRolledOverNameTakenByAnotherFileIsRefused() throws IOException {
    Path log = tmp.resolve("notes.txt");
    for (String taken : new String[] {"notes.txt.1", "notes.txt.2", "notes.txt.3"}) {
      Path other = Files.writeString(tmp.resolve(taken), "mine\n");
      assertThatThrownBy(() -> ConsoleLogging.checkLogFile(log))
          .as(taken)
          .isInstanceOf(UsageException.class)
          .hasMessage(
              "--log-file: "
                  + other
                  + " exists and is not a log of data-events (a log rolls over into "
                  + log
                  + ".1 to .3); name another file");
      Files.delete(other);
    }
    Files.writeString(tmp.resolve("notes.txt.4"), "mine\n"); // never touched by a rollover
    ConsoleLogging.checkLogFile(log);
  }

  @Test
  void aFolderIsNoLogFile() throws IOException {
    Path folder = Files.createDirectory(tmp.resolve("logs"));
    assertThatThrownBy(() -> ConsoleLogging.checkLogFile(folder))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("is not a log of data-events");
    Files.createDirectory(tmp.resolve("run.log.2"));
    assertThatThrownBy(() -> ConsoleLogging.checkLogFile(tmp.resolve("run.log")))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("run.log.2 exists and is not a log of data-events");
  }
}
