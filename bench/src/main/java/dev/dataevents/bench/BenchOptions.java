package dev.dataevents.bench;

import java.nio.file.Path;

/**
 * What {@code bin/bench} was asked to do.
 *
 * @param events lines of the generated input
 * @param seed the generator's seed
 * @param asOf the reference time, Unix seconds: the generator's and the job's {@code --as-of}
 * @param file an existing input to use instead of a generated one, or null
 * @param dir where generated inputs are cached and runs write (and remove) their output, or null
 *     for {@code bench/target}
 * @param runs counted runs (pairs when comparing)
 * @param warmups runs before those, not counted
 * @param jobOnly run the job only, no baseline (memory checks on large inputs)
 * @param sample time the README's sample run instead
 * @param floor run the job on a {@link ExportGenerator.Shape#FLOOR} file of as many lines instead
 *     of the export the baseline reads
 * @param javaOpts the job's JVM options ({@code DATA_EVENTS_JAVA_OPTS}), or null for the launcher's
 */
public record BenchOptions(
    long events,
    long seed,
    long asOf,
    Path file,
    Path dir,
    int runs,
    int warmups,
    boolean jobOnly,
    boolean sample,
    boolean floor,
    String javaOpts) {

  static final String USAGE =
      """
      usage: bin/bench [options]        the backfill job and the plain-Java baseline, alternating
             bin/bench --jmh [REGEX [JMH options]]   JMH benchmarks of the job's hot paths
             bin/bench --generate --events N --out FILE [--seed S] [--as-of T] [--floor]   generate only
             bin/bench --profile-summary RUN.jfr [TOP]   where a recorded run's time and allocation went
        --events N       lines of the generated input (default 1000000)
        --seed S         the generator's seed (default 7)
        --as-of T        reference time, Unix seconds (default 1793491200 = 2026-11-01)
        --file F         use this input instead of a generated one
        --dir D          where generated inputs are cached and runs write (default bench/target)
        --runs R         counted runs, alternating job and baseline (default 3)
        --warmups W      uncounted runs first (default 1; 0 with --job-only)
        --job-only       run the job only (memory: bin/bench --events 10000000 --job-only --runs 1)
        --sample         time the README's sample run against its 3 s target
        --floor          the job on trivial events (no metadata, duplicates or bad lines; as many
                         lines, as large) against the baseline on the export: the least the job's
                         wall time can be on this machine (docs/performance.md, "The floor")
        --java-opts O    the job's JVM options (DATA_EVENTS_JAVA_OPTS; default the launcher's)
      Linux only: processes are measured through /proc.
      """;

  /** The options of {@code args}; throws {@link IllegalArgumentException} saying what is wrong. */
  public static BenchOptions parse(String... args) {
    long events = 1_000_000;
    long seed = 7;
    long asOf = ExportGenerator.DEFAULT_AS_OF;
    Path file = null;
    Path dir = null;
    int runs = 3;
    Integer warmups = null;
    boolean jobOnly = false;
    boolean sample = false;
    boolean floor = false;
    String javaOpts = null;
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      switch (option) {
        case "--job-only" -> jobOnly = true;
        case "--sample" -> sample = true;
        case "--floor" -> floor = true;
        default -> {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException("unknown option or missing value: " + option);
          }
          String value = args[++i];
          switch (option) {
            case "--events" -> events = number(option, value, 1);
            case "--seed" -> seed = number(option, value, Long.MIN_VALUE);
            case "--as-of" -> asOf = number(option, value, 1);
            case "--file" -> file = Path.of(value);
            case "--dir" -> dir = Path.of(value);
            case "--runs" -> runs = (int) number(option, value, 1);
            case "--warmups" -> warmups = (int) number(option, value, 0);
            case "--java-opts" -> javaOpts = value;
            default -> throw new IllegalArgumentException("unknown option " + option);
          }
        }
      }
    }
    if (jobOnly && sample) {
      throw new IllegalArgumentException("--job-only and --sample exclude each other");
    }
    if (floor && (sample || jobOnly || file != null)) {
      // The floor is a comparison of two generated files of one seed and size.
      throw new IllegalArgumentException("--floor excludes --sample, --job-only and --file");
    }
    // A warm-up evens out caches between the two commands; a memory check does not need one.
    int warm = warmups != null ? warmups : jobOnly ? 0 : 1;
    return new BenchOptions(
        events, seed, asOf, file, dir, runs, warm, jobOnly, sample, floor, javaOpts);
  }

  private static long number(String option, String value, long min) {
    long n;
    try {
      n = Long.parseLong(value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a whole number, not " + value);
    }
    if (n < min) {
      throw new IllegalArgumentException(option + " must be at least " + min);
    }
    return n;
  }
}
