package dev.dataevents.bench.jmh;

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
  /** Which line of {@link BenchLines}. */
  @Param({"small", "rich", "invalid_json", "invalid_metadata_value"})
  public String line;

  private String text;

  @Setup
  public void setUp() {
    text = BenchLines.named(line);
  }

  @Benchmark
  public Object parseAndValidate() {
    return HotPaths.parse(text, 17);
  }
}
