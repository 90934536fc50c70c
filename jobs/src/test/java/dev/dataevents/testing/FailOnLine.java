package dev.dataevents.testing;

import dev.dataevents.model.RawLine;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.datastream.DataStream;

/** A failure injected into a stream: throws once, on the line whose text is {@link #TEXT}. */
public final class FailOnLine implements MapFunction<RawLine, RawLine> {
  public static final String TEXT = "fail here";

  /** Whether it threw; static, as Flink runs copies of the function. */
  public static final AtomicBoolean FAILED = new AtomicBoolean();

  /** The tap for {@code Streams.start}: the input lines pass through it. Resets {@link #FAILED}. */
  public static UnaryOperator<DataStream<RawLine>> tap() {
    FAILED.set(false);
    return lines -> lines.map(new FailOnLine()).name("fail-once").uid("fail-once");
  }

  @Override
  public RawLine map(RawLine line) {
    if (TEXT.equals(line.text()) && !FAILED.getAndSet(true)) {
      throw new IllegalStateException("injected failure");
    }
    return line;
  }
}
