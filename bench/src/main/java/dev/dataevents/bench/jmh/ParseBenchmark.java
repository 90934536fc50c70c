package dev.dataevents.bench.jmh;

import dev.dataevents.bench.ExportGenerator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parse and validate one input line, as the job's parse stage does for every line read: into an
 * accepted record, or into its rejection.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ParseBenchmark {
  /**
   * Which line of {@link BenchLines}, or {@code generated}: the first 65,536 lines of the
   * generator's file (seed 7), in turn, with the mix and variety of a run (metadata keys that vary,
   * duplicates, bad lines), which one line repeated does not have.
   */
  @Param({"small", "rich", "invalid_json", "invalid_metadata_value", "generated"})
  public String line;

  private static final int GENERATED_LINES = 1 << 16;

  private String[] lines;

  /** The same lines as a stream under {@code --auth} reads them (with an access token). */
  private String[] authLines;

  private int next;

  @Setup
  public void setUp() {
    if (line.equals("generated")) {
      ExportGenerator generator =
          new ExportGenerator(7, HotPaths.AS_OF, ExportGenerator.DEFAULT_CONTACTS);
      lines = new String[GENERATED_LINES];
      for (int i = 0; i < GENERATED_LINES; i++) {
        lines[i] = generator.next();
      }
    } else {
      lines = new String[] {BenchLines.named(line)};
    }
    authLines = new String[lines.length];
    for (int i = 0; i < lines.length; i++) {
      authLines[i] = HotPaths.authLine(lines[i]);
    }
  }

  @Benchmark
  public Object parseAndValidate() {
    String text = lines[next];
    next = next + 1 == lines.length ? 0 : next + 1;
    return HotPaths.parse(text, 17);
  }

  /** The same under {@code --auth}: the token checked, and every known token looked for. */
  @Benchmark
  public Object parseAuthenticated() {
    String text = authLines[next];
    next = next + 1 == authLines.length ? 0 : next + 1;
    return HotPaths.parseAuthenticated(text, 17);
  }
}
