package dev.dataevents.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Measured from outside: wall, CPU of the whole process tree, and the peak memory it held. */
class ProcessMeterTest {
  private static final long MIB = 1 << 20;

  private static List<String> burner(int mib, int cpuMillis) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Burner.class.getName());
    command.add(Integer.toString(mib));
    command.add(Integer.toString(cpuMillis));
    return command;
  }

  @Test
  void measuresTheProcessItStarted(@TempDir Path dir) throws Exception {
    ProcessBuilder command =
        new ProcessBuilder(burner(300, 800)).redirectOutput(dir.resolve("out").toFile());

    ProcessMeter.Measurement m = ProcessMeter.measure(command);

    assertThat(m.exitCode()).isZero();
    assertThat(m.peakRssBytes()).isBetween(300 * MIB, 1024 * MIB);
    assertThat(m.cpuSeconds()).isBetween(0.8, 0.8 + 3 * m.wallSeconds());
    assertThat(m.wallSeconds()).isGreaterThan(0.4);
  }

  @Test
  void measuresAChildOfTheProcessItStartedAndItsExitCode(@TempDir Path dir) throws Exception {
    // Not exec'd: the JVM is the shell's child, as a launcher that forks would have it.
    List<String> command = new ArrayList<>(List.of("bash", "-c", "\"$@\"; exit 3", "bash"));
    command.addAll(burner(300, 800));

    ProcessMeter.Measurement m =
        ProcessMeter.measure(
            new ProcessBuilder(command).redirectOutput(dir.resolve("out").toFile()));

    assertThat(m.exitCode()).isEqualTo(3);
    assertThat(m.peakRssBytes()).isBetween(300 * MIB, 1024 * MIB);
    assertThat(m.cpuSeconds()).isGreaterThanOrEqualTo(0.8);
  }
}
