package dev.dataevents.job;

import dev.dataevents.io.AtomicFiles;
import dev.dataevents.io.OutputFolder;
import dev.dataevents.io.RefusedPathException;
import dev.dataevents.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A stream's checkpoint folder, owned by one stream command. Beside Flink's job folders ({@code
 * <job id>/chk-<n>}) it holds {@value #COMMAND_FILE}: the {@link CommandFingerprint} of the command
 * and the ids of the jobs that command ran here, oldest first, with the time each started (for the
 * report). That record decides everything:
 *
 * <ul>
 *   <li>A run resumes only from checkpoints of the jobs recorded there, newest first, skipping one
 *       whose metadata cannot be read; a folder of another command is refused while it holds
 *       something to resume, and a folder with checkpoints but no record is refused too (whose they
 *       are cannot be told). An explicit checkpoint to restore is always honoured, and the folder
 *       then belongs to the new command.
 *   <li>Once the newest recorded job has a restorable checkpoint, the folders of the earlier
 *       recorded jobs are deleted, each only if it holds nothing but what Flink writes there
 *       ({@code chk-*}, {@code shared}, {@code taskowned}). Nothing else in the folder is ever
 *       deleted.
 * </ul>
 */
public final class CheckpointFolder {
  /** The record of the command that owns the folder. */
  public static final String COMMAND_FILE = "_stream-command.json";

  private static final List<String> FLINK_JOB_ENTRIES = List.of("shared", "taskowned");

  /** The names of the files Flink writes in a job folder's folders (see onlyFlinkJobEntries). */
  private static final Pattern FLINK_FILE =
      Pattern.compile(
          "(\\._metadata\\.inprogress\\.)?"
              + "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|_metadata");

  /** The record's field of the jobs' start times, Unix milliseconds by job id. */
  private static final String STARTED_AT = "started_at_ms";

  private final Path dir;

  public CheckpointFolder(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /**
   * The folder's owner.
   *
   * @param command the command's fingerprint
   * @param jobs the ids of the jobs it ran here, oldest first
   * @param startedAt job id -> when it was started, Unix milliseconds (jobs recorded before this
   *     was have none)
   */
  public record Owner(CommandFingerprint command, List<String> jobs, Map<String, Long> startedAt) {
    /** This record with its latest job alone (the one running), or empty when it names none. */
    Optional<Owner> latestJobOnly() {
      if (jobs.isEmpty()) {
        return Optional.empty();
      }
      String latest = jobs.get(jobs.size() - 1);
      Long started = startedAt.get(latest);
      return Optional.of(
          new Owner(
              command, List.of(latest), started == null ? Map.of() : Map.of(latest, started)));
    }
  }

  /** The recorded owner, or empty when the folder has no record. */
  public Optional<Owner> owner() {
    Path file = dir.resolve(COMMAND_FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonNode node = Json.mapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
      List<String> jobs = new ArrayList<>();
      node.path("jobs").forEach(j -> jobs.add(j.asText()));
      Map<String, Long> startedAt = new TreeMap<>();
      node.path(STARTED_AT)
          .fields()
          .forEachRemaining(e -> startedAt.put(e.getKey(), e.getValue().asLong()));
      if (!node.path("command").isObject()) {
        throw new IOException("no command in it");
      }
      return Optional.of(
          new Owner(CommandFingerprint.fromJson(node.get("command")), jobs, startedAt));
    } catch (IOException | RuntimeException e) {
      throw new RefusedPathException(
          "checkpoint folder "
              + dir
              + ": "
              + COMMAND_FILE
              + " cannot be read ("
              + oneLine(e)
              + ")");
    }
  }

  /**
   * Where a run of {@code command} starts: {@code restore} when given, else the newest restorable
   * checkpoint of the folder's recorded jobs, else nowhere (a fresh start).
   *
   * @param warnings told about each checkpoint skipped, and about a folder taken over by {@code
   *     restore}
   * @throws RefusedPathException when the folder belongs to another command and holds something to
   *     resume, holds checkpoints nobody recorded, or none of its checkpoints can be restored
   */
  public Optional<Path> startingPoint(
      CommandFingerprint command, Path restore, Consumer<String> warnings) {
    Optional<Owner> owner = owner();
    if (restore != null) {
      owner
          .map(o -> command.differencesFrom(o.command()))
          .filter(d -> !d.isEmpty())
          .ifPresent(
              d ->
                  warnings.accept(
                      "checkpoint folder "
                          + dir
                          + " held checkpoints of another stream command ("
                          + String.join("; ", d)
                          + "); it now belongs to this one and theirs are kept, never resumed"));
      return Optional.of(restore);
    }
    if (owner.isEmpty()) {
      List<Path> unrecorded = unrecordedCheckpoints();
      if (!unrecorded.isEmpty()) {
        throw new RefusedPathException(
            "checkpoint folder "
                + dir
                + " holds checkpoints (e.g. "
                + unrecorded.get(0)
                + ") but no "
                + COMMAND_FILE
                + " naming the stream command they belong to; restore one of them explicitly,"
                + " or give this stream another checkpoint folder");
      }
      return Optional.empty();
    }
    List<Path> candidates = recordedCheckpoints(owner.get());
    List<String> differences = command.differencesFrom(owner.get().command());
    if (!differences.isEmpty()) {
      if (candidates.isEmpty()) {
        return Optional.empty(); // nothing to resume: the folder is free to take
      }
      throw new RefusedPathException(
          "checkpoint folder "
              + dir
              + " holds the checkpoints of another stream command ("
              + String.join("; ", differences)
              + "); run that command to resume it, or give this one another checkpoint folder");
    }
    List<String> problems = new ArrayList<>();
    Optional<Path> restorable =
        firstRestorable(
            candidates,
            (checkpoint, why) -> {
              problems.add(checkpoint.getFileName() + ": " + why);
              warnings.accept(
                  "skipped checkpoint "
                      + checkpoint
                      + ": it cannot be restored ("
                      + why
                      + "); resuming from an earlier one");
            });
    if (restorable.isPresent()) {
      return restorable;
    }
    if (!candidates.isEmpty()) {
      throw new RefusedPathException(
          "no checkpoint in "
              + dir
              + " can be restored ("
              + String.join("; ", problems)
              + "); restore one explicitly, or give this stream another checkpoint folder");
    }
    return Optional.empty();
  }

  /**
   * Records that {@code command} runs job {@code job} here, before it starts. A folder of another
   * command (one {@link #startingPoint} let go: nothing to resume, or an explicit restore) becomes
   * this command's; the earlier command's job folders are no longer recorded, so they are kept.
   */
  public void claim(CommandFingerprint command, JobID job) {
    Optional<Owner> owner = owner();
    List<String> jobs = new ArrayList<>();
    Map<String, Long> startedAt = new TreeMap<>();
    if (owner.isPresent() && command.differencesFrom(owner.get().command()).isEmpty()) {
      jobs.addAll(owner.get().jobs());
      startedAt.putAll(owner.get().startedAt());
    }
    if (!jobs.contains(job.toHexString())) {
      jobs.add(job.toHexString());
    }
    startedAt.putIfAbsent(job.toHexString(), System.currentTimeMillis());
    write(new Owner(command, jobs, startedAt));
  }

  /**
   * The checkpoint the recorded command would resume from: the newest restorable one of its jobs,
   * or empty when the folder has no record or no restorable checkpoint.
   *
   * @param warnings told about each checkpoint skipped because it cannot be restored
   */
  public Optional<Path> newestRestorable(Consumer<String> warnings) {
    return owner()
        .flatMap(
            o ->
                firstRestorable(
                    recordedCheckpoints(o),
                    (checkpoint, why) ->
                        warnings.accept(
                            "skipped checkpoint "
                                + checkpoint
                                + ": it cannot be restored ("
                                + why
                                + ")")));
  }

  /** The first of {@code candidates} that can be restored; {@code skipped} is told each other. */
  private static Optional<Path> firstRestorable(
      List<Path> candidates, BiConsumer<Path, String> skipped) {
    for (Path checkpoint : candidates) {
      Optional<String> problem = Checkpoints.unreadable(checkpoint);
      if (problem.isEmpty()) {
        return Optional.of(checkpoint);
      }
      skipped.accept(checkpoint, oneLine(problem.get()));
    }
    return Optional.empty();
  }

  /**
   * The newest completed checkpoint of the recorded jobs (not checked to be restorable).
   *
   * @throws RefusedPathException when the record or a job folder cannot be read (a stream's
   *     reporter warns when that lasts; taken for no checkpoint, it would say nothing)
   */
  public Optional<Path> newestCompleted() {
    return owner().flatMap(o -> recordedCheckpoints(o).stream().findFirst());
  }

  /**
   * Deletes the folders of the earlier recorded jobs once the newest recorded job has a restorable
   * checkpoint (resuming needs nothing older). A job folder that holds anything Flink does not
   * write there is kept, and no longer recorded.
   *
   * @param warnings told about each job folder kept
   */
  public void removeEarlierJobs(Consumer<String> warnings) throws IOException {
    Optional<Owner> owner = owner();
    if (owner.isEmpty() || owner.get().jobs().size() < 2) {
      return;
    }
    List<String> jobs = owner.get().jobs();
    String latest = jobs.get(jobs.size() - 1);
    if (!isJobId(latest)) {
      return; // a damaged record: nothing is removed on its word
    }
    List<Path> latestCheckpoints = Checkpoints.completedIn(dir.resolve(latest));
    if (latestCheckpoints.isEmpty()
        || Checkpoints.unreadable(latestCheckpoints.get(0)).isPresent()) {
      return;
    }
    for (String job : jobs.subList(0, jobs.size() - 1)) {
      if (!isJobId(job)) {
        // Only a job id names a folder of this one: anything else (a damaged or edited record)
        // could lead out of it.
        warnings.accept(
            "kept " + job + ": the record of " + dir + " names it, but it is not a job id");
        continue;
      }
      Path folder = dir.resolve(job);
      if (Files.exists(folder) && !onlyFlinkJobEntries(folder)) {
        warnings.accept(
            "kept " + folder + ": it holds files this tool did not write; delete it yourself");
        continue;
      }
      delete(folder);
    }
    write(owner.get().latestJobOnly().orElseThrow());
  }

  /**
   * Deletes a folder; another process (a stream's reporter) may be deleting it at the same time.
   */
  private static void delete(Path folder) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        OutputFolder.deleteRecursively(folder);
        return;
      } catch (NoSuchFileException | UncheckedIOException e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  /** Completed checkpoints of the recorded jobs, newest job first, then newest checkpoint. */
  private List<Path> recordedCheckpoints(Owner owner) {
    List<Path> checkpoints = new ArrayList<>();
    for (int i = owner.jobs().size() - 1; i >= 0; i--) {
      String job = owner.jobs().get(i);
      if (isJobId(job)) {
        checkpoints.addAll(Checkpoints.completedIn(dir.resolve(job)));
      }
    }
    return checkpoints;
  }

  /**
   * Completed checkpoints in any job's folder (named by its id, as Flink names them), for a folder
   * without a record. Other folders hold no checkpoints, and may be unreadable ({@code lost+found}
   * on a volume of its own).
   */
  private List<Path> unrecordedCheckpoints() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> folders = Files.list(dir)) {
      return folders
          .filter(f -> isJobId(f.getFileName().toString()) && Files.isDirectory(f))
          .sorted()
          .flatMap(f -> Checkpoints.completedIn(f).stream())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isJobId(String name) {
    return name.matches("[0-9a-f]{32}");
  }

  /**
   * Whether a job folder holds only what Flink writes there, at every depth: {@code chk-<n>},
   * {@code shared} and {@code taskowned} folders, holding only files named by UUIDs (state), {@code
   * _metadata} and its in-progress copy ({@code ._metadata.inprogress.<uuid>}). Links, deeper
   * folders and any other name are the user's, and keep the folder.
   */
  private static boolean onlyFlinkJobEntries(Path jobFolder) throws IOException {
    try (Stream<Path> entries = Files.list(jobFolder)) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        boolean flinks =
            Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
                && (Checkpoints.number(entry) >= 0
                    || FLINK_JOB_ENTRIES.contains(entry.getFileName().toString()))
                && onlyFlinkFiles(entry);
        if (!flinks) {
          return false;
        }
      }
      return true;
    }
  }

  private static boolean onlyFlinkFiles(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.allMatch(
          f ->
              Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)
                  && FLINK_FILE.matcher(f.getFileName().toString()).matches());
    }
  }

  /**
   * Writes {@code owner} as the folder's record again when the record is gone (the folder deleted
   * while the stream ran): the running job's checkpoints go on being written there, and without the
   * record they would be neither reported nor resumed. Returns whether it wrote it.
   */
  public boolean recordAgainIfGone(Owner owner) {
    if (Files.exists(dir.resolve(COMMAND_FILE), LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    write(owner);
    return true;
  }

  private void write(Owner owner) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("written_by", "data-events stream");
    node.set("command", owner.command().toJson());
    ArrayNode jobs = node.putArray("jobs");
    owner.jobs().forEach(jobs::add);
    ObjectNode startedAt = node.putObject(STARTED_AT);
    owner.startedAt().forEach(startedAt::put);
    try {
      Files.createDirectories(dir);
      AtomicFiles.replace(
          dir.resolve(COMMAND_FILE),
          Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String oneLine(Object problem) {
    return String.valueOf(problem).replaceAll("\\s+", " ").trim();
  }
}
