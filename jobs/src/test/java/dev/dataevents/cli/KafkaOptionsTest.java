package dev.dataevents.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dataevents.io.kafka.KafkaSubscription;
import dev.dataevents.io.kafka.StartingOffsets;
import dev.dataevents.job.CommandFingerprint;
import dev.dataevents.job.StreamRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The Kafka options of stream and backfill, checked before anything starts. */
class KafkaOptionsTest {
  @TempDir Path tmp;

  private StreamRun.Request stream(String... more) {
    List<String> args =
        new ArrayList<>(List.of("--parallelism", "1", "--output", tmp.resolve("out").toString()));
    args.addAll(List.of(more));
    StreamCommand command = new StreamCommand();
    new CommandLine(command).parseArgs(args.toArray(String[]::new));
    return command.request();
  }

  @Test
  void aStreamReadsTheTopicsFromTheCommittedOffsetsOfAGroupOfItsOwnOutputByDefault() {
    KafkaSubscription kafka =
        stream("--kafka", "127.0.0.1:9092", "--topic", "a,b", "--topic", "a").kafka();
    assertThat(kafka.bootstrap()).isEqualTo("127.0.0.1:9092");
    assertThat(kafka.topics()).containsExactly("a", "b");
    assertThat(kafka.startingOffsets()).isEqualTo(StartingOffsets.COMMITTED);
    assertThat(kafka.groupId())
        .matches("data-events-[0-9a-f]{16}")
        .isEqualTo(KafkaStreamOptions.defaultGroupId(tmp.resolve("out")));
  }

  @Test
  void theDefaultGroupIsTheSameBeforeAndAfterTheOutputExistsAndDiffersBetweenOutputs()
      throws IOException {
    Path out = tmp.resolve("x").resolve("out");
    String before = KafkaStreamOptions.defaultGroupId(out);
    Files.createDirectories(out);
    assertThat(KafkaStreamOptions.defaultGroupId(out)).isEqualTo(before);
    Path link = Files.createSymbolicLink(tmp.resolve("link"), tmp.resolve("x"));
    assertThat(KafkaStreamOptions.defaultGroupId(link.resolve("out"))).isEqualTo(before);
    assertThat(KafkaStreamOptions.defaultGroupId(tmp.resolve("y").resolve("out")))
        .isNotEqualTo(before);
  }

  @Test
  void groupAndStartingOffsetsCanBeGiven() {
    KafkaSubscription kafka =
        stream(
                "--kafka",
                "h1:1,h2:2",
                "--topic",
                "t",
                "--group-id",
                "mine",
                "--starting-offsets",
                "LATEST")
            .kafka();
    assertThat(kafka.groupId()).isEqualTo("mine");
    assertThat(kafka.startingOffsets()).isEqualTo(StartingOffsets.LATEST);
  }

  @Test
  void badValuesAreUsageErrorsNamingTheOption() {
    assertThatThrownBy(() -> stream("--kafka", "localhost", "--topic", "t"))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("--kafka takes HOST:PORT");
    assertThatThrownBy(() -> stream("--kafka", "h:1", "--topic", "no/slash"))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("--topic: not a Kafka topic name");
    assertThatThrownBy(() -> stream("--kafka", "h:1", "--topic", "t", "--starting-offsets", "x"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("committed, earliest, latest");
    assertThatThrownBy(() -> stream("--kafka", "h:1"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--topic");
    assertThatThrownBy(() -> stream("--kafka", "h:1", "--topic", "t", "--watch", tmp.toString()))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("expected only one match");
    for (String port : new String[] {"0", "65536", "99999"}) {
      assertThatThrownBy(() -> stream("--kafka", "h:1,h:" + port, "--topic", "t"))
          .as(port)
          .isInstanceOf(UsageException.class)
          .hasMessage("--kafka: port " + port + " of h:" + port + " is not within 1-65535");
    }
    for (String group : new String[] {"", " ", "\t"}) {
      assertThatThrownBy(() -> stream("--kafka", "h:1", "--topic", "t", "--group-id", group))
          .as("'" + group + "'")
          .isInstanceOf(UsageException.class)
          .hasMessage("--group-id must not be empty or white space");
    }
    assertThat(stream("--kafka", "h:65535", "--topic", "t", "--group-id", "g").kafka().groupId())
        .isEqualTo("g");
  }

  @Test
  void theTopicsAreTheStreamsOwnButNotTheBrokersNorTheGroup() {
    CommandFingerprint base =
        CommandFingerprint.of(stream("--kafka", "h:1", "--topic", "a,b", "--group-id", "g"));
    assertThat(base.values()).containsEntry("kafka_topics", "a,b");
    assertThat(
            CommandFingerprint.of(
                    stream(
                        "--kafka",
                        "other:2",
                        "--topic",
                        "b,a",
                        "--group-id",
                        "g2",
                        "--starting-offsets",
                        "latest"))
                .differencesFrom(base))
        .isEmpty();
    assertThat(
            CommandFingerprint.of(stream("--kafka", "h:1", "--topic", "a")).differencesFrom(base))
        .containsExactly("kafka_topics: was a,b, now a");
  }

  @Test
  void rejectionsMayAlsoGoToATopicOfTheStreamsOwnTransactions() {
    KafkaSubscription kafka =
        stream("--kafka", "h:1", "--topic", "in", "--rejected-topic", "dlq").kafka();
    assertThat(kafka.deadLetters().topic()).isEqualTo("dlq");
    assertThat(kafka.deadLetters().transactionalIdPrefix())
        .isEqualTo(KafkaStreamOptions.defaultGroupId(tmp.resolve("out")) + "-rejections");
    assertThat(stream("--kafka", "h:1", "--topic", "in").kafka().deadLetters()).isNull();
    assertThatThrownBy(
            () -> stream("--kafka", "h:1", "--topic", "in,dlq", "--rejected-topic", "dlq"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("would read its own rejections");
    assertThatThrownBy(() -> stream("--kafka", "h:1", "--topic", "in", "--rejected-topic", "a b"))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("--rejected-topic: not a Kafka topic name");
    // Its sink has state: it cannot come or go when a stream resumes.
    assertThat(
            CommandFingerprint.of(stream("--kafka", "h:1", "--topic", "in"))
                .differencesFrom(
                    CommandFingerprint.of(
                        stream("--kafka", "h:1", "--topic", "in", "--rejected-topic", "dlq"))))
        .containsExactly("kafka_rejected_topic: was dlq, now not given");
  }

  @Test
  void aBackfillNeedsInputOrKafka() {
    BackfillCommand command = new BackfillCommand();
    CommandLine cmd = new CommandLine(command);
    cmd.parseArgs("--output", tmp.resolve("out").toString());
    assertThatThrownBy(command::call)
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--input")
        .hasMessageContaining("--kafka");
  }
}
