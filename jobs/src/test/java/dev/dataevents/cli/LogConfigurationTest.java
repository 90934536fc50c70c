package dev.dataevents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.RollingFileAppender;
import org.apache.logging.log4j.core.appender.rolling.CompositeTriggeringPolicy;
import org.apache.logging.log4j.core.appender.rolling.DefaultRolloverStrategy;
import org.apache.logging.log4j.core.appender.rolling.SizeBasedTriggeringPolicy;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.properties.PropertiesConfigurationFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log4j configurations a local run uses, as log4j itself reads them. */
class LogConfigurationTest {
  @TempDir Path tmp;

  /** A configuration as log4j builds it, its log file in {@link #tmp}; stopped after the check. */
  private Configuration load(String resource) throws Exception {
    String before = System.getProperty("data-events.log.file");
    System.setProperty("data-events.log.file", tmp.resolve("run.log").toString());
    try (InputStream in = LogConfigurationTest.class.getResourceAsStream("/" + resource)) {
      Configuration config =
          new PropertiesConfigurationFactory()
              .getConfiguration(new LoggerContext("test"), new ConfigurationSource(in));
      config.initialize();
      started.add(config);
      return config;
    } finally {
      if (before == null) {
        System.clearProperty("data-events.log.file");
      } else {
        System.setProperty("data-events.log.file", before);
      }
    }
  }

  private final java.util.List<Configuration> started = new java.util.ArrayList<>();

  @AfterEach
  void stop() {
    started.forEach(Configuration::stop);
  }

  @Test
  void aStreamsLogRollsOverInsteadOfFillingTheDisk() throws Exception {
    Configuration config = load("data-events-log4j2-file.properties");
    RollingFileAppender file = config.getAppender("FileAppender");
    assertThat(file).isNotNull();
    assertThat(file.getFileName()).isEqualTo(tmp.resolve("run.log").toString());
    assertThat(file.getFilePattern()).isEqualTo(tmp.resolve("run.log") + ".%i");
    CompositeTriggeringPolicy policies = file.getTriggeringPolicy();
    assertThat(policies.getTriggeringPolicies())
        .singleElement()
        .isInstanceOfSatisfying(
            SizeBasedTriggeringPolicy.class,
            size -> assertThat(size.getMaxFileSize()).isEqualTo(100L * 1024 * 1024));
    assertThat(((DefaultRolloverStrategy) file.getManager().getRolloverStrategy()).getMaxIndex())
        .isEqualTo(ConsoleLogging.ROLLED_LOGS);
  }

  /** The level {@code logger} logs at, in both configurations (file and console). */
  private void assertLevelInBoth(String logger, Level level) throws Exception {
    for (String resource :
        new String[] {
          "data-events-log4j2-file.properties", "data-events-log4j2-console.properties"
        }) {
      Configuration config = load(resource);
      assertThat(config.getLoggerConfig(logger).getLevel()).as(resource).isEqualTo(level);
      assertThat(config.getRootLogger().getLevel()).as(resource).isEqualTo(Level.INFO);
    }
  }

  @Test
  void theKafkaAdminClientsRebootstrappingIsNotLoggedAtEveryTry() throws Exception {
    // While the broker is away, the Kafka source's admin client logs "Rebootstrapping" at INFO,
    // up to 4,900 lines a second: a 100 MiB log in minutes, rolling the failures' causes away.
    assertLevelInBoth("org.apache.kafka.clients.admin.internals.AdminMetadataManager", Level.WARN);
  }

  @Test
  void metricNameCollisionWarningsAreNotLogged() throws Exception {
    // Flink's Kafka sink registers the same gauge again and again: 612 warnings in 2 minutes.
    assertLevelInBoth("org.apache.flink.metrics.MetricGroup", Level.ERROR);
  }
}
