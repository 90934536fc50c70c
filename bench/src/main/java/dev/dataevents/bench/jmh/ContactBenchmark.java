package dev.dataevents.bench.jmh;

import dev.dataevents.model.PackedContactRecord;
import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The bounded run's keyed contact function over one contact's whole input: dedup into keyed state,
 * then at the end of the key's input its accepted events, summary and listing pages. Driven through
 * Flink's operator harness; {@link #harnessOnly} runs the same records through the same harness
 * into a function that does nothing, so the difference is the contact function's own cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ContactBenchmark {
  /** Records of the contact: a typical one, and one of the few heavy ones. */
  @Param({"5", "1000"})
  public int events;

  private List<PackedContactRecord> records;
  private HotPaths.ContactStage contactFunction;
  private HotPaths.ContactStage noOp;

  @Setup
  public void setUp() throws Exception {
    records = HotPaths.ContactStage.packed(BenchLines.contact(events));
    contactFunction = HotPaths.ContactStage.contactFunction();
    noOp = HotPaths.ContactStage.noOp();
  }

  @TearDown
  public void tearDown() throws Exception {
    contactFunction.close();
    noOp.close();
  }

  @Benchmark
  public int contact() throws Exception {
    return contactFunction.run(records);
  }

  @Benchmark
  public int harnessOnly() throws Exception {
    return noOp.run(records);
  }
}
