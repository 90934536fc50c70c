package dev.dataevents.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dataevents.testing.MiniCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A full disk under the part files fails the job with its own cause, not a TaskManager's end. */
class PartFileSinkITCase {
  @RegisterExtension static final MiniClusterExtension CLUSTER = MiniCluster.extension();

  @TempDir Path dir;

  @Test
  void aFullDiskFailsTheJobWithNoSpaceLeftAsItsCause() throws Exception {
    Path out = Files.createDirectories(dir.resolve("out"));
    for (int subtask = 0; subtask < MiniCluster.SLOTS; subtask++) {
      Files.createSymbolicLink(
          out.resolve(PartFileSink.partFileName(subtask)), Path.of("/dev/full"));
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setRuntimeMode(RuntimeExecutionMode.BATCH);
    env.setParallelism(MiniCluster.SLOTS);
    env.fromSequence(1, 100_000)
        .map(
            n -> ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8),
            PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
        .sinkTo(new PartFileSink(out.toUri()));

    assertThatThrownBy(env::execute)
        .satisfies(
            e ->
                assertThat(ExceptionUtils.findThrowableWithMessage(e, "No space left on device"))
                    .isPresent())
        .satisfies(
            e ->
                assertThat(ExceptionUtils.stringifyException(e))
                    .doesNotContain("TaskExecutor is shutting down"));
  }
}
