package dev.dataevents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.RollingFileAppender;
import org.apache.logging.log4j.core.appender.rolling.CompositeTriggeringPolicy;
import org.apache.logging.log4j.core.appender.rolling.DefaultRolloverStrategy;
import org.apache.logging.log4j.core.appender.rolling.SizeBasedTriggeringPolicy;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.properties.PropertiesConfigurationFactory;
import org.junit.jupiter.api.Test;

/** The log4j configurations a local run uses, as log4j itself reads them. */
class LogConfigurationTest {
  private static Configuration load(String resource) throws Exception {
    System.setProperty("data-events.log.file", "/tmp/never-written.log");
    try (InputStream in = LogConfigurationTest.class.getResourceAsStream("/" + resource)) {
      Configuration config =
          new PropertiesConfigurationFactory()
              .getConfiguration(new LoggerContext("test"), new ConfigurationSource(in));
      config.initialize();
      return config;
    }
  }

  @Test
  void aStreamsLogRollsOverInsteadOfFillingTheDisk() throws Exception {
    Configuration config = load("data-events-log4j2-file.properties");
    RollingFileAppender file = config.getAppender("FileAppender");
    assertThat(file).isNotNull();
    assertThat(file.getFileName()).isEqualTo("/tmp/never-written.log");
    assertThat(file.getFilePattern()).isEqualTo("/tmp/never-written.log.%i");
    CompositeTriggeringPolicy policies = file.getTriggeringPolicy();
    assertThat(policies.getTriggeringPolicies())
        .singleElement()
        .isInstanceOfSatisfying(
            SizeBasedTriggeringPolicy.class,
            size -> assertThat(size.getMaxFileSize()).isEqualTo(100L * 1024 * 1024));
    assertThat(((DefaultRolloverStrategy) file.getManager().getRolloverStrategy()).getMaxIndex())
        .isEqualTo(3);
  }

  @Test
  void metricNameCollisionWarningsAreNotLogged() throws Exception {
    // Flink's Kafka sink registers the same gauge again and again: 612 warnings in 2 minutes.
    for (String resource :
        new String[] {
          "data-events-log4j2-file.properties", "data-events-log4j2-console.properties"
        }) {
      Configuration config = load(resource);
      assertThat(config.getLoggerConfig("org.apache.flink.metrics.MetricGroup").getLevel())
          .as(resource)
          .isEqualTo(Level.ERROR);
      assertThat(config.getRootLogger().getLevel()).as(resource).isEqualTo(Level.INFO);
    }
  }
}
