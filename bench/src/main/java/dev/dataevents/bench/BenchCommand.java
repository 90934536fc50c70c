package dev.dataevents.bench;

import dev.dataevents.bench.ProcessMeter.Measurement;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code bin/bench}: runs the backfill job and the plain-Java baseline on one input, alternating
 * (job, baseline, job, baseline...) so that both see the same machine as it drifts, and reports
 * what each cost and their ratios ({@link Report}). Also times the job alone ({@code --job-only})
 * or the README's sample run ({@code --sample}). Builds nothing itself: {@code bin/bench} does.
 *
 * <p>The repository is the folder named by the system property {@code bench.root}, else the current
 * one.
 */
public final class BenchCommand {
  /** The baseline's heap may grow as it needs: its memory is not what it is compared on. */
  private static final String BASELINE_HEAP = "-Xmx4g";

  /** The README's first command, but for its output folder. */
  private static final List<String> SAMPLE_ARGS =
      List.of(
          "backfill",
          "--input",
          "sample-data/events.jsonl",
          "--summaries",
          "sample-data/summaries.jsonl",
          "--output",
          "OUTPUT",
          "--as-of",
          "2026-11-01T00:00:00Z",
          "--overwrite");

  private final BenchOptions options;
  private final Path root;
  private final PrintStream out;

  /** Commands whose results were shown. */
  private final java.util.Set<String> shown = new java.util.HashSet<>();

  public BenchCommand(BenchOptions options, Path root, PrintStream out) {
    this.options = options;
    this.root = root;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    BenchOptions options;
    try {
      if (List.of(args).contains("--help")) {
        System.out.print(BenchOptions.USAGE);
        return;
      }
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.err.print(BenchOptions.USAGE);
      System.exit(2);
      return;
    }
    Path root = Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
    System.exit(new BenchCommand(options, root, System.out).run());
  }

  /** Runs what the options ask; 0 when every command succeeded. */
  public int run() throws IOException, InterruptedException {
    Files.createDirectories(dir());
    // Runs write their output and logs here, and it is removed at the end.
    Path work = Files.createTempDirectory(dir(), "run-");
    try {
      return options.sample() ? sample(work) : compare(work);
    } finally {
      deleteTree(work);
    }
  }

  private int compare(Path work) throws IOException, InterruptedException {
    Path input = input();
    // Under --floor the job reads trivial events, the baseline the export: see Report.floor.
    Path jobInput = options.floor() ? floorInput() : input;
    out.printf(Locale.ROOT, "input: %s (%.0f MiB)%n", input, Files.size(input) / 1048576.0);
    if (options.floor()) {
      out.printf(
          Locale.ROOT,
          "the job's input (the floor): %s (%.0f MiB)%n",
          jobInput,
          Files.size(jobInput) / 1048576.0);
    }
    out.println("job: " + String.join(" ", jobCommand(jobInput, Path.of("OUTPUT"))));
    if (!options.jobOnly()) {
      out.println("baseline: " + String.join(" ", baselineCommand(input)));
    }
    out.printf(
        "%d warm-up %s, then %d counted%s%n",
        options.warmups(),
        options.jobOnly() ? "run(s)" : "pair(s)",
        options.runs(),
        options.jobOnly() ? " run(s) of the job" : " pair(s), alternating job and baseline");
    List<Measurement> job = new ArrayList<>();
    List<Measurement> baseline = new ArrayList<>();
    for (int i = 0; i < options.warmups() + options.runs(); i++) {
      String label = i < options.warmups() ? "warm-up" : "run " + (i - options.warmups() + 1);
      Path output = work.resolve("out-" + i);
      Measurement j = measure(label, "job", jobCommand(jobInput, output), work.resolve("job.log"));
      deleteTree(output);
      if (j == null) {
        return 1;
      }
      Measurement b = null;
      if (!options.jobOnly()) {
        b = measure(label, "baseline", baselineCommand(input), work.resolve("baseline.log"));
        if (b == null) {
          return 1;
        }
      }
      if (i >= options.warmups()) {
        job.add(j);
        if (b != null) {
          baseline.add(b);
        }
      }
    }
    out.println();
    out.println(
        options.jobOnly()
            ? Report.jobOnly(job)
            : options.floor() ? Report.floor(job, baseline) : Report.comparison(job, baseline));
    return 0;
  }

  private int sample(Path work) throws IOException, InterruptedException {
    Path output = work.resolve("out");
    List<String> command = sampleCommand(output);
    out.println("sample run (the README's first command): " + String.join(" ", command));
    out.printf("%d warm-up run(s), then %d counted run(s)%n", options.warmups(), options.runs());
    List<Measurement> runs = new ArrayList<>();
    for (int i = 0; i < options.warmups() + options.runs(); i++) {
      String label = i < options.warmups() ? "warm-up" : "run " + (i - options.warmups() + 1);
      Measurement m = measure(label, "sample", command, work.resolve("sample.log"));
      deleteTree(output);
      if (m == null) {
        return 1;
      }
      if (i >= options.warmups()) {
        runs.add(m);
      }
    }
    out.println();
    out.println(Report.sample(runs));
    return 0;
  }

  /** The input file: {@code --file}, or a generated one, cached under its parameters. */
  Path input() throws IOException {
    if (options.file() != null) {
      if (!Files.isRegularFile(options.file())) {
        throw new IOException("no such file: " + options.file());
      }
      return options.file().toAbsolutePath();
    }
    return generated("events", "events", ExportGenerator.Shape.EXPORT);
  }

  /** The floor's input: as many trivial events as the export has lines, cached the same way. */
  Path floorInput() throws IOException {
    return generated("floor", "trivial events (the floor)", ExportGenerator.Shape.FLOOR);
  }

  private Path generated(String prefix, String what, ExportGenerator.Shape shape)
      throws IOException {
    Path file =
        dir()
            .resolve(
                String.format(
                    "%s-v%d-%d-seed%d-asof%d.jsonl",
                    prefix,
                    ExportGenerator.VERSION,
                    options.events(),
                    options.seed(),
                    options.asOf()));
    if (!Files.exists(file)) {
      out.printf("generating %,d %s into %s...%n", options.events(), what, file);
      long start = System.nanoTime();
      ExportGenerator.write(
          file,
          options.events(),
          options.seed(),
          options.asOf(),
          ExportGenerator.DEFAULT_CONTACTS,
          shape);
      out.printf(Locale.ROOT, "generated in %.1f s%n", (System.nanoTime() - start) / 1e9);
    }
    return file;
  }

  /** Where inputs are cached and runs write: {@code --dir}, else {@code bench/target}. */
  private Path dir() {
    return (options.dir() != null ? options.dir() : root.resolve("bench/target")).toAbsolutePath();
  }

  List<String> jobCommand(Path input, Path output) {
    return List.of(
        root.resolve("bin/data-events").toString(),
        "backfill",
        "--input",
        input.toString(),
        "--output",
        output.toString(),
        "--as-of",
        Long.toString(options.asOf()),
        "--overwrite");
  }

  /**
   * The baseline on the same Java as this harness, with nothing but its parser on the class path.
   */
  List<String> baselineCommand(Path input) {
    String classPath =
        String.join(
            java.io.File.pathSeparator,
            codeSource(PlainBaseline.class),
            codeSource(com.fasterxml.jackson.core.JsonFactory.class));
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        BASELINE_HEAP,
        "-cp",
        classPath,
        PlainBaseline.class.getName(),
        input.toString());
  }

  List<String> sampleCommand(Path output) {
    List<String> command = new ArrayList<>();
    command.add(root.resolve("bin/data-events").toString());
    for (String arg : SAMPLE_ARGS) {
      command.add(arg.equals("OUTPUT") ? output.toString() : arg);
    }
    return command;
  }

  /**
   * Runs one command in the repository, its output to {@code log}; null (after showing the end of
   * the log) when it failed.
   */
  private Measurement measure(String label, String name, List<String> command, Path log)
      throws IOException, InterruptedException {
    ProcessBuilder process =
        new ProcessBuilder(command)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    if (options.javaOpts() != null) {
      process.environment().put("DATA_EVENTS_JAVA_OPTS", options.javaOpts());
    }
    Measurement m = ProcessMeter.measure(process);
    out.println(Report.run(label, name, m));
    if (m.exitCode() == 0 && shown.add(name)) {
      // What it found, once: both commands read the same input.
      for (String line : Files.readAllLines(log)) {
        if (line.startsWith("done in") || line.startsWith("lines=")) {
          out.println("           " + line);
        }
      }
    }
    if (m.exitCode() != 0) {
      List<String> lines = Files.readAllLines(log);
      out.println(name + " failed with exit code " + m.exitCode() + "; the end of its output:");
      lines
          .subList(Math.max(0, lines.size() - 20), lines.size())
          .forEach(l -> out.println("  " + l));
      return null;
    }
    return m;
  }

  private static String codeSource(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Removes a folder this harness created, and everything in it. */
  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
