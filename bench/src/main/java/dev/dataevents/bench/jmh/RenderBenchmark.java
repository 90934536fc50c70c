package dev.dataevents.bench.jmh;

import dev.dataevents.model.ContactRecord;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rendering output lines: an accepted event (with 10 kept metadata keys), a rejection, and a heavy
 * contact's summary (20 event names) and listing pages (about 200 events, 50 to a page).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RenderBenchmark {
  private ContactRecord richEvent;
  private Object rejection;
  private HotPaths.ContactView contact;

  @Setup
  public void setUp() {
    richEvent = HotPaths.accepted(BenchLines.RICH, 1);
    rejection = HotPaths.parse(BenchLines.INVALID_METADATA_VALUE, 2);
    contact = HotPaths.contactView(BenchLines.keptOfContact(1000));
  }

  @Benchmark
  public byte[] acceptedEvent() {
    return HotPaths.renderAcceptedEvent(richEvent);
  }

  @Benchmark
  public byte[] rejection() {
    return HotPaths.renderRejection(rejection);
  }

  @Benchmark
  public byte[] summary() {
    return HotPaths.renderSummary(contact);
  }

  @Benchmark
  public List<byte[]> listingPages() {
    return HotPaths.renderListingPages(contact);
  }
}
