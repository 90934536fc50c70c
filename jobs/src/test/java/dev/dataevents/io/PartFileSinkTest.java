package dev.dataevents.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The part file writer: lines as given, and a failing disk reported once, never from close. */
class PartFileSinkTest {
  @TempDir Path dir;

  private static final Path FULL_DISK = Path.of("/dev/full"); // every write: ENOSPC

  private PartFileSink.Writer writer(Path file) {
    return new PartFileSink.Writer(new org.apache.flink.core.fs.Path(file.toUri()));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void writesEachLineWithANewlineAndNothingForNoLines() throws IOException {
    Path file = dir.resolve("part-00000.jsonl");
    PartFileSink.Writer writer = writer(file);
    writer.write(bytes("{\"a\":1}"), null);
    writer.write(bytes("{\"b\":\"\u00e9\"}"), null);
    writer.flush(true);
    writer.close();
    assertThat(Files.readString(file)).isEqualTo("{\"a\":1}\n{\"b\":\"\u00e9\"}\n");

    Path none = dir.resolve("part-00001.jsonl");
    PartFileSink.Writer idle = writer(none);
    idle.flush(true);
    idle.close();
    assertThat(none).doesNotExist();
  }

  @Test
  void aFullDiskFailsTheEndOfInputAndCloseReleasesTheFileQuietly() throws IOException {
    Path file = Files.createSymbolicLink(dir.resolve("part-00000.jsonl"), FULL_DISK);
    PartFileSink.Writer writer = writer(file);
    writer.write(bytes("{\"a\":1}"), null); // buffered
    // The message names the file (so the disk), and is the root cause the command prints.
    assertThatThrownBy(() -> writer.flush(true))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("No space left on device")
        .hasMessageContaining("cannot write " + file)
        .hasNoCause();
    // Flink closes the writer of a failed task while cleaning up; an exception there is "fatal"
    // and shuts the TaskManager down, hiding the cause behind "The TaskExecutor is shutting down".
    assertThatCode(writer::close).doesNotThrowAnyException();
  }

  @Test
  void aFullDiskFailsAWriteAndCloseReleasesTheFileQuietly() throws IOException {
    Path file = Files.createSymbolicLink(dir.resolve("part-00000.jsonl"), FULL_DISK);
    PartFileSink.Writer writer = writer(file);
    byte[] line = bytes("x".repeat(1000));
    assertThatThrownBy(
            () -> {
              for (int i = 0; i < 10_000; i++) {
                writer.write(line, null);
              }
            })
        .isInstanceOf(IOException.class)
        .hasMessageContaining("No space left on device")
        .hasMessageContaining("cannot write " + file)
        .hasNoCause();
    assertThatCode(writer::close).doesNotThrowAnyException();
  }
}
