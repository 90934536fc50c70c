package dev.dataevents.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dataevents.io.RefusedPathException;
import dev.dataevents.testing.Streams;
import dev.dataevents.validation.TokenAuthenticator;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which checkpoint a stream resumes from, and what it cleans up: only checkpoints its own command
 * wrote (a fingerprint beside them), the newest one that can be restored, and only its own earlier
 * job folders deleted.
 */
class CheckpointsTest {
  @TempDir Path tmp;

  private Path dir;
  private Path watch;
  private final List<String> warnings = new ArrayList<>();

  @BeforeEach
  void folders() throws IOException {
    dir = Files.createDirectories(tmp.resolve("checkpoints"));
    watch = Files.createDirectories(tmp.resolve("in"));
  }

  /** The command line's defaults, but for the folders. */
  private StreamRun.Request request(Path watched, int perPage, TokenAuthenticator auth) {
    return Streams.watching(watched)
        .output(tmp.resolve("out"))
        .checkpointDir(dir)
        .intervals(Duration.ofSeconds(10))
        .dedupHorizon(Duration.ofDays(90))
        .perPage(perPage)
        .auth(auth)
        .request();
  }

  private CommandFingerprint command() {
    return CommandFingerprint.of(request(watch, 50, null));
  }

  private CheckpointFolder folder() {
    return new CheckpointFolder(dir);
  }

  private Optional<Path> startingPoint(CommandFingerprint command) {
    return folder().startingPoint(command, null, warnings::add);
  }

  /** A job this command ran here, recorded as Flink's job ids are. */
  private String job() {
    JobID id = JobID.generate();
    folder().claim(command(), id);
    return id.toHexString();
  }

  /** A completed checkpoint whose metadata Flink's loader reads. */
  private Path checkpoint(String job, long n) throws IOException {
    Path chk = Files.createDirectories(dir.resolve(job).resolve("chk-" + n));
    try (OutputStream out = Files.newOutputStream(chk.resolve("_metadata"))) {
      org.apache.flink.runtime.checkpoint.Checkpoints.storeCheckpointMetadata(
          new CheckpointMetadata(n, List.of(), List.of()), new DataOutputStream(out));
    }
    Files.createDirectories(dir.resolve(job).resolve("shared"));
    Files.createDirectories(dir.resolve(job).resolve("taskowned"));
    return chk;
  }

  private static void truncate(Path checkpoint) throws IOException {
    Path metadata = checkpoint.resolve("_metadata");
    byte[] bytes = Files.readAllBytes(metadata);
    Files.write(metadata, java.util.Arrays.copyOf(bytes, bytes.length / 2));
  }

  @Test
  void aFreshFolderStartsFresh() {
    assertThat(startingPoint(command())).isEmpty();
    assertThat(new CheckpointFolder(tmp.resolve("missing")).newestCompleted()).isEmpty();
  }

  @Test
  void theNewestCompletedCheckpointOfTheNewestRunOfThisCommandWins() throws IOException {
    String first = job();
    checkpoint(first, 7);
    String second = job();
    checkpoint(second, 8);
    Path newest = checkpoint(second, 9);
    Files.createDirectories(dir.resolve(second).resolve("chk-10")); // being written: no metadata
    assertThat(startingPoint(command())).contains(newest);
    assertThat(folder().newestCompleted()).contains(newest);
    assertThat(warnings).isEmpty();
  }

  @Test
  void aDifferentCommandIsRefusedNamingWhatDiffers() throws IOException {
    checkpoint(job(), 3);
    Path otherWatch = Files.createDirectories(tmp.resolve("other-in"));
    CommandFingerprint other = CommandFingerprint.of(request(otherWatch, 20, null));
    assertThatThrownBy(() -> startingPoint(other))
        .isInstanceOf(RefusedPathException.class)
        .hasMessageContaining("holds the checkpoints of another stream command")
        .hasMessageContaining(
            "watch: was " + watch.toRealPath() + ", now " + otherWatch.toRealPath())
        .hasMessageContaining("per_page: was 50, now 20")
        .hasMessageNotContaining("\n");
  }

  @Test
  void theFingerprintHoldsTheInputsAndTheOptionsThatChangeResultsButNoSecret() throws IOException {
    Path tokens = tmp.resolve("tokens.json");
    String sha = "a".repeat(64);
    Files.writeString(
        tokens,
        "{\"tokens\":[{\"sha256\":\""
            + sha
            + "\",\"workspace_id\":\"ws_1\",\"scopes\":[\"write_events\"]}]}",
        StandardCharsets.UTF_8);
    String json =
        CommandFingerprint.of(request(watch, 50, TokenAuthenticator.load(tokens)))
            .toJson()
            .toString();
    assertThat(json)
        .contains("\"watch\":\"" + watch.toRealPath() + "\"")
        .contains("\"output\":")
        .contains("\"auth\":true")
        .contains("\"per_page\":50", "\"max_future_seconds\":86400", "\"dedup_horizon_seconds\"")
        .doesNotContain(sha)
        .doesNotContain("tokens.json");
    // Intervals and parallelism do not change results: another value resumes the same stream.
    StreamRun.Request base = request(watch, 50, null);
    StreamRun.Request moreOften =
        Streams.watching(watch)
            .output(base.output())
            .checkpointDir(dir)
            .intervals(Duration.ofSeconds(1))
            .dedupHorizon(base.dedupHorizon())
            .parallelism(8)
            .request();
    assertThat(CommandFingerprint.of(moreOften).differencesFrom(CommandFingerprint.of(base)))
        .isEmpty();
  }

  @Test
  void aDatabaseSinkCannotComeOrGoOnAResume() throws IOException {
    // The sink's state is in the checkpoint: Flink would refuse the resume with a raw error.
    StreamRun.Request request = request(watch, 50, null);
    CommandFingerprint withDatabase = CommandFingerprint.of(request, true);
    assertThat(CommandFingerprint.of(request).differencesFrom(withDatabase))
        .containsExactly("database: was postgresql, now not given");
    assertThat(withDatabase.differencesFrom(CommandFingerprint.of(request)))
        .containsExactly("database: was not given, now postgresql");
    // A fingerprint written before the field existed reads as "not given".
    assertThat(
            CommandFingerprint.fromJson(CommandFingerprint.of(request).toJson())
                .differencesFrom(CommandFingerprint.of(request, false)))
        .isEmpty();
  }

  @Test
  void aDifferentCommandMayTakeAFolderWithNothingToResume() throws IOException {
    job(); // killed before its first checkpoint
    Path otherWatch = Files.createDirectories(tmp.resolve("other-in"));
    CommandFingerprint other = CommandFingerprint.of(request(otherWatch, 50, null));
    assertThat(startingPoint(other)).isEmpty();
  }

  @Test
  void anExplicitRestoreIsHonouredAndTheFolderChangesHandsKeepingTheOtherCommandsCheckpoints()
      throws IOException {
    String theirs = job();
    Path theirCheckpoint = checkpoint(theirs, 4);
    Path otherWatch = Files.createDirectories(tmp.resolve("other-in"));
    CommandFingerprint other = CommandFingerprint.of(request(otherWatch, 50, null));
    Path savepoint = tmp.resolve("savepoint");

    assertThat(folder().startingPoint(other, savepoint, warnings::add)).contains(savepoint);
    assertThat(warnings).singleElement().asString().contains("another stream command");

    JobID mine = JobID.generate();
    folder().claim(other, mine);
    checkpoint(mine.toHexString(), 5);
    folder().removeEarlierJobs(warnings::add);
    assertThat(theirCheckpoint.resolve("_metadata")).exists();
    assertThat(folder().owner().orElseThrow().jobs()).containsExactly(mine.toHexString());
  }

  @Test
  void anUnreadableNewestCheckpointIsSkippedWithAWarningForTheOneBeforeIt() throws IOException {
    String first = job();
    Path older = checkpoint(first, 1);
    String second = job();
    Path previous = checkpoint(second, 2);
    Path newest = checkpoint(second, 3);
    truncate(newest);

    assertThat(startingPoint(command())).contains(previous);
    assertThat(warnings)
        .singleElement()
        .asString()
        .contains("skipped checkpoint " + newest)
        .contains("cannot be restored");

    // Garbage in its place, and a metadata file of another checkpoint, are skipped alike.
    Files.writeString(previous.resolve("_metadata"), "not a checkpoint");
    Files.copy(
        older.resolve("_metadata"),
        newest.resolve("_metadata"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    warnings.clear();
    assertThat(startingPoint(command())).contains(older);
    assertThat(warnings).hasSize(2);
    assertThat(warnings.get(0)).contains("chk-3", "that of checkpoint 1");
  }

  @Test
  void whenNoCheckpointCanBeRestoredTheRunIsRefusedRatherThanStartedFresh() throws IOException {
    Path only = checkpoint(job(), 1);
    truncate(only);
    assertThatThrownBy(() -> startingPoint(command()))
        .isInstanceOf(RefusedPathException.class)
        .hasMessageContaining("no checkpoint in " + dir + " can be restored")
        .hasMessageContaining("chk-1");
  }

  @Test
  void aJobFolderThatCannotBeReadIsRefusedRatherThanTakenForOneWithoutCheckpoints()
      throws IOException {
    String job = job();
    Path unreadable = unlistableFolder(dir.resolve(job));
    assertThatThrownBy(() -> startingPoint(command()))
        .isInstanceOf(RefusedPathException.class)
        .hasMessageContaining("cannot read")
        .hasMessageContaining(unreadable.toString())
        .hasMessageNotContaining("\n");
  }

  @Test
  void aSubfolderThatCannotBeReadAndIsNoJobsIsNoReasonToRefuseAFreshFolder() throws IOException {
    // lost+found on a volume of its own, another user's private folder: Flink keeps checkpoints
    // only in folders named by job ids.
    unlistableFolder(dir.resolve("lost+found"));
    assertThat(startingPoint(command())).isEmpty();
  }

  /**
   * A folder at {@code path} that cannot be listed: without permissions for anyone but root, and
   * for root a link to a folder of the kernel's that it may not read (in a container without
   * privileges); the test is skipped where neither works.
   */
  private static Path unlistableFolder(Path path) throws IOException {
    if (!"root".equals(System.getProperty("user.name"))) {
      Files.createDirectories(path);
      Files.setPosixFilePermissions(path, java.util.Set.of());
    } else {
      Files.createSymbolicLink(path, Path.of("/proc/1/map_files"));
    }
    boolean listable;
    try (var entries = Files.list(path)) {
      entries.count(); // a folder may open and fail on reading its entries
      listable = true;
    } catch (IOException | java.io.UncheckedIOException e) {
      listable = false;
    }
    org.junit.jupiter.api.Assumptions.assumeFalse(listable, "no folder here cannot be listed");
    return path;
  }

  @Test
  void aDamagedRecordIsSaidWhenTheNewestCheckpointIsAskedFor() throws IOException {
    checkpoint(job(), 4);
    Files.writeString(dir.resolve(CheckpointFolder.COMMAND_FILE), "{\"jobs\":[");
    // The stream's reporter asks every second; it warns of lasting failures, it cannot warn of a
    // folder taken for one without checkpoints.
    assertThatThrownBy(() -> folder().newestCompleted())
        .isInstanceOf(RefusedPathException.class)
        .hasMessageContaining(CheckpointFolder.COMMAND_FILE + " cannot be read");
  }

  @Test
  void aRecordThatCannotBeWrittenLeavesNoHalfWrittenFileBehind() throws IOException {
    // The record cannot replace a folder of that name (as it could not be written on a full disk).
    Files.createDirectories(dir.resolve(CheckpointFolder.COMMAND_FILE).resolve("x"));
    assertThatThrownBy(this::job).isInstanceOf(java.io.UncheckedIOException.class);
    try (var entries = Files.list(dir)) {
      assertThat(entries).containsExactly(dir.resolve(CheckpointFolder.COMMAND_FILE));
    }
  }

  @Test
  void checkpointsNoCommandRecordedAreNeverResumedAndAFolderOfThemIsRefused() throws IOException {
    // A folder of checkpoints from before fingerprints, or of another Flink job.
    Path foreign = checkpoint("0123456789abcdef0123456789abcdef", 12);
    assertThatThrownBy(() -> startingPoint(command()))
        .isInstanceOf(RefusedPathException.class)
        .hasMessageContaining("no " + CheckpointFolder.COMMAND_FILE)
        .hasMessageContaining(foreign.toString());

    // Once this command owns the folder, the foreign job is neither resumed nor reported.
    String mine = job();
    Path own = checkpoint(mine, 2);
    assertThat(startingPoint(command())).contains(own);
    assertThat(folder().newestCompleted()).contains(own);
  }

  @Test
  void earlierRunsAreRemovedOnceTheNewestHasARestorableCheckpointAndNothingElseIsTouched()
      throws IOException {
    String first = job();
    checkpoint(first, 1);
    String odd = job();
    checkpoint(odd, 2);
    Files.writeString(dir.resolve(odd).resolve("keep.txt"), "someone else's");
    Path foreign = checkpoint("0123456789abcdef0123456789abcdef", 9);
    Path notes = Files.writeString(dir.resolve("notes.txt"), "mine");
    String latest = job();

    // The newest run has no checkpoint yet: resuming may still need the earlier ones.
    folder().removeEarlierJobs(warnings::add);
    assertThat(dir.resolve(first)).exists();

    // Its first checkpoint cannot be read: still nothing goes.
    Path latestCheckpoint = checkpoint(latest, 3);
    truncate(latestCheckpoint);
    folder().removeEarlierJobs(warnings::add);
    assertThat(dir.resolve(first)).exists();

    checkpoint(latest, 4);
    long latestStarted = folder().owner().orElseThrow().startedAt().get(latest);
    folder().removeEarlierJobs(warnings::add);
    assertThat(dir.resolve(first)).doesNotExist();
    // A job folder holding a file Flink does not write is kept, with a warning.
    assertThat(dir.resolve(odd).resolve("keep.txt")).exists();
    assertThat(warnings).singleElement().asString().contains("kept " + dir.resolve(odd));
    assertThat(foreign.resolve("_metadata")).exists();
    assertThat(notes).exists();
    assertThat(dir.resolve(latest).resolve("chk-4")).exists();
    assertThat(folder().owner().orElseThrow().jobs()).containsExactly(latest);
    // When the remaining job started is kept (a stream report's started_at).
    assertThat(folder().owner().orElseThrow().startedAt())
        .containsExactly(Map.entry(latest, latestStarted));
    assertThat(startingPoint(command())).contains(dir.resolve(latest).resolve("chk-4"));
  }

  /**
   * An earlier job folder goes only when everything in it, at every depth, is what Flink writes
   * there: checkpoints' metadata (and its in-progress copy) and state files named by UUIDs. A file
   * of the user's anywhere inside keeps the whole folder.
   */
  @Test
  void aJobFolderWithAFileOfTheUsersAtAnyDepthIsKept() throws IOException {
    String flinks = job();
    Path chk = checkpoint(flinks, 1);
    Files.writeString(chk.resolve("3f2a9c1e-8b4d-4e6f-9a1b-2c3d4e5f6a7b"), "state");
    Files.writeString(
        chk.resolve("._metadata.inprogress.0d1e2f3a-4b5c-6d7e-8f9a-0b1c2d3e4f5a"), "");
    Files.writeString(
        dir.resolve(flinks).resolve("shared").resolve("9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b"), "s");
    Map<String, Path> users = new java.util.LinkedHashMap<>();
    for (String place : new String[] {"shared", "taskowned", "chk-2"}) {
      String job = job();
      checkpoint(job, 2);
      users.put(job, Files.writeString(dir.resolve(job).resolve(place).resolve("usr.txt"), "mine"));
    }
    String nested = job();
    checkpoint(nested, 3);
    users.put(
        nested, Files.createDirectories(dir.resolve(nested).resolve("shared").resolve("backup")));
    String latest = job();
    checkpoint(latest, 4);

    folder().removeEarlierJobs(warnings::add);

    assertThat(dir.resolve(flinks)).doesNotExist();
    users.forEach((job, file) -> assertThat(file).as(job).exists());
    assertThat(warnings).hasSize(users.size());
    users
        .keySet()
        .forEach(job -> assertThat(warnings).anyMatch(w -> w.contains("kept " + dir.resolve(job))));
  }

  @Test
  void aRecordNamingFoldersOutsideIsNeverFollowedWhenEarlierRunsAreRemoved() throws IOException {
    String first = job();
    checkpoint(first, 1);
    String latest = job();
    checkpoint(latest, 2);
    // A damaged or edited record: the earlier job's name leads out of the folder.
    Path victim = Files.createDirectories(tmp.resolve("victim").resolve("chk-7"));
    Path record = dir.resolve(CheckpointFolder.COMMAND_FILE);
    Files.writeString(record, Files.readString(record).replace(first, "../victim"));

    folder().removeEarlierJobs(warnings::add);

    assertThat(victim).isDirectory();
    assertThat(dir.resolve(latest).resolve("chk-2")).exists();
    assertThat(warnings).singleElement().asString().contains("../victim");
  }
}
