package dev.dataevents.bench;

import dev.dataevents.bench.ProcessMeter.Measurement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * What the measured runs add up to, as text: per command the minimum, median and maximum of wall,
 * CPU and peak RSS; the job's ratios to the baseline, of the medians and pair by pair; and the
 * performance targets, each met or not. The targets are informational: machines differ, so they are
 * never a test.
 */
final class Report {
  /** The job's wall time at most this many times the baseline's. */
  static final double WALL_RATIO_TARGET = 1.0;

  /** The job's CPU time at most this many times the baseline's. */
  static final double CPU_RATIO_TARGET = 2.0;

  static final long PEAK_RSS_TARGET_BYTES = 1L << 30;

  /** The README's sample run, after the first build. */
  static final double SAMPLE_WALL_TARGET_SECONDS = 3.0;

  private static final double MIB = 1 << 20;

  private Report() {}

  /** Minimum, median and maximum. */
  record Spread(double min, double median, double max) {
    static Spread of(List<Measurement> runs, ToDoubleFunction<Measurement> figure) {
      double[] v = runs.stream().mapToDouble(figure).sorted().toArray();
      int n = v.length;
      double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
      return new Spread(v[0], median, v[n - 1]);
    }
  }

  private static double wall(Measurement m) {
    return m.wallSeconds();
  }

  private static double cpu(Measurement m) {
    return m.cpuSeconds();
  }

  private static double rssMib(Measurement m) {
    return m.peakRssBytes() / MIB;
  }

  /** One run, as it finishes. */
  static String run(String label, String command, Measurement m) {
    return format(
        "  %-8s %-8s %7.2f s wall %7.2f s CPU %6.0f MiB peak RSS%s",
        label, command, wall(m), cpu(m), rssMib(m), m.exitCode() == 0 ? "" : "  FAILED");
  }

  /** The job against the baseline, {@code job.get(i)} and {@code baseline.get(i)} one pair. */
  static String comparison(List<Measurement> job, List<Measurement> baseline) {
    List<String> lines = new ArrayList<>();
    lines.add(header());
    lines.add(row("job", job));
    lines.add(row("baseline", baseline));
    double wallRatio = median(job, Report::wall) / median(baseline, Report::wall);
    double cpuRatio = median(job, Report::cpu) / median(baseline, Report::cpu);
    double rssRatio = median(job, Report::rssMib) / median(baseline, Report::rssMib);
    lines.add(
        format(
            "%-16s %-25s %-25s %s",
            "job/baseline",
            format("%.2fx of medians", wallRatio),
            format("%.2fx", cpuRatio),
            format("%.2fx", rssRatio)));
    lines.add(
        "pair by pair: wall "
            + pairRatios(job, baseline, Report::wall)
            + "; CPU "
            + pairRatios(job, baseline, Report::cpu));
    lines.add("targets (informational; judge by the ratios of one alternating run):");
    lines.add(
        target(
            "wall <= 1.0x the baseline",
            format("%.2fx", wallRatio),
            wallRatio <= WALL_RATIO_TARGET));
    lines.add(
        target(
            "CPU <= 2.0x the baseline", format("%.2fx", cpuRatio), cpuRatio <= CPU_RATIO_TARGET));
    lines.add(peakTarget(job));
    return String.join("\n", lines);
  }

  /**
   * The job on trivial events against the baseline on the export ({@code --floor}). A backfill of
   * the export does all that the floor's run does and more (metadata, every rule, rejections,
   * duplicates, larger outputs) on as many lines of the same contacts, so its wall time cannot be
   * less than the floor's: the wall target is within reach only where the floor is below it. The
   * second bound holds however well the work were spread: two cores kept busy from the first
   * instant to the last need half the floor's CPU time.
   */
  static String floor(List<Measurement> job, List<Measurement> baseline) {
    double wallRatio = median(job, Report::wall) / median(baseline, Report::wall);
    double cpuRatio = median(job, Report::cpu) / median(baseline, Report::cpu);
    double twoCores = median(job, Report::cpu) / 2 / median(baseline, Report::wall);
    return String.join(
        "\n",
        header(),
        row("job (floor)", job),
        row("baseline", baseline),
        format(
            "%-16s %-25s %s",
            "floor/baseline", format("%.2fx of medians", wallRatio), format("%.2fx", cpuRatio)),
        "pair by pair: wall "
            + pairRatios(job, baseline, Report::wall)
            + "; CPU "
            + pairRatios(job, baseline, Report::cpu),
        "what the floor bounds (a backfill of the export does all of its work and more):",
        format(
            "  %-28s %-12s %s",
            "wall <= 1.0x the baseline",
            format("floor %.2fx", wallRatio),
            wallRatio <= WALL_RATIO_TARGET ? "within reach" : "OUT OF REACH"),
        format(
            "  %-28s %-12s %s",
            "the same on 2 busy cores",
            format("floor %.2fx", twoCores),
            twoCores <= WALL_RATIO_TARGET
                ? "within reach"
                : "OUT OF REACH even with both cores busy throughout"));
  }

  /** The job alone (a memory check). */
  static String jobOnly(List<Measurement> job) {
    return String.join(
        "\n",
        header(),
        row("job", job),
        "targets (informational):",
        peakTarget(job),
        "  (and 10x the events should peak at most 20% higher than this input: memory bounded by a"
            + " contact, not by the input)");
  }

  /** The README's sample run. */
  static String sample(List<Measurement> runs) {
    double median = median(runs, Report::wall);
    return String.join(
        "\n",
        header(),
        row("sample", runs),
        "target (informational):",
        target(
            "sample run under 3 s wall",
            format("%.2f s", median),
            median < SAMPLE_WALL_TARGET_SECONDS));
  }

  private static String header() {
    return format(
        "%-16s %-25s %-25s %s", "(min/median/max)", "wall (s)", "CPU (s)", "peak RSS (MiB)");
  }

  private static String row(String command, List<Measurement> runs) {
    return format(
        "%-16s %-25s %-25s %s",
        command,
        spread(Spread.of(runs, Report::wall), "%.2f"),
        spread(Spread.of(runs, Report::cpu), "%.2f"),
        spread(Spread.of(runs, Report::rssMib), "%.0f"));
  }

  private static String spread(Spread s, String number) {
    return format(number + " / " + number + " / " + number, s.min(), s.median(), s.max());
  }

  private static String pairRatios(
      List<Measurement> job, List<Measurement> baseline, ToDoubleFunction<Measurement> figure) {
    List<String> ratios = new ArrayList<>();
    for (int i = 0; i < job.size(); i++) {
      ratios.add(
          format(
              "%.2fx", figure.applyAsDouble(job.get(i)) / figure.applyAsDouble(baseline.get(i))));
    }
    return String.join(" ", ratios);
  }

  private static String peakTarget(List<Measurement> job) {
    double peak = median(job, Report::rssMib);
    return target(
        "job peak RSS <= 1 GiB", format("%.0f MiB", peak), peak * MIB <= PEAK_RSS_TARGET_BYTES);
  }

  private static String target(String what, String measured, boolean met) {
    return format("  %-28s %-12s %s", what, measured, met ? "met" : "NOT MET");
  }

  private static double median(List<Measurement> runs, ToDoubleFunction<Measurement> figure) {
    return Spread.of(runs, figure).median();
  }

  private static String format(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
