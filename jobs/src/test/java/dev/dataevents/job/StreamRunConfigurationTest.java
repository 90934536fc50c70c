package dev.dataevents.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.validation.ValidationSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a stream asks of Flink: exactly-once checkpoints it can resume from, restarts through
 * failures.
 */
class StreamRunConfigurationTest {
  @TempDir Path tmp;

  private StreamRun.Request request() {
    return new StreamRun.Request(
        null,
        tmp.resolve("in"),
        tmp.resolve("out"),
        tmp.resolve("checkpoints"),
        Duration.ofMillis(1500),
        null,
        Duration.ofSeconds(10),
        Duration.ofDays(90),
        null,
        new PipelineSettings(
            new ValidationSettings(
                ValidationSettings.DEFAULT_WORKSPACE,
                ValidationSettings.PROCESSING_TIME,
                ValidationSettings.DEFAULT_MAX_FUTURE_SECONDS,
                ValidationSettings.DEFAULT_MAX_METADATA_KEYS),
            PipelineSettings.DEFAULT_PER_PAGE,
            2,
            false,
            PipelineSettings.DEFAULT_MAX_LINE_BYTES,
            null,
            false));
  }

  @Test
  void checkpointsAreExactlyOnceKeptOnCancelAndResumable() {
    JobID job = JobID.generate();
    Configuration config =
        StreamRun.configuration(request(), new Configuration(), Optional.empty(), job);

    assertThat(config.get(ExecutionOptions.RUNTIME_MODE)).isEqualTo(RuntimeExecutionMode.STREAMING);
    assertThat(config.get(PipelineOptions.GENERIC_TYPES)).isFalse();
    assertThat(config.get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
        .isEqualTo(Duration.ofMillis(1500));
    assertThat(config.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE))
        .isEqualTo(CheckpointingMode.EXACTLY_ONCE);
    assertThat(config.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
        .isEqualTo(tmp.resolve("checkpoints").toAbsolutePath().toUri().toString());
    assertThat(config.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
        .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    assertThat(config.get(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS)).isEqualTo(3);
    // Restarts as often as failures come, waiting longer while they come in a row; 30 in a row
    // without 10 minutes of running in between (about 23 minutes of a lasting fault) fail the job.
    assertThat(config.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
    assertThat(
            config.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF))
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(config.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF))
        .isEqualTo(Duration.ofMinutes(1));
    assertThat(
            config.get(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER))
        .isEqualTo(1.5);
    assertThat(
            config.get(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD))
        .isEqualTo(Duration.ofMinutes(10));
    assertThat(config.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS))
        .isEqualTo(30);
    assertThat(config.getOptional(StateRecoveryOptions.SAVEPOINT_PATH)).isEmpty();
  }

  @Test
  void aStartingPointIsRestored() {
    Path checkpoint = tmp.resolve("checkpoints/job/chk-7");
    Configuration config =
        StreamRun.configuration(
            request(), new Configuration(), Optional.of(checkpoint), JobID.generate());

    assertThat(config.get(StateRecoveryOptions.SAVEPOINT_PATH))
        .isEqualTo(checkpoint.toAbsolutePath().toUri().toString());
  }
}
