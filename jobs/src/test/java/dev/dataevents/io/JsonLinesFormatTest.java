package dev.dataevents.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.model.InputFile;
import dev.dataevents.model.RawLine;
import dev.dataevents.model.SourceCatalog;
import dev.dataevents.model.SourceKind;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader: file and line of every line, however a file is split, and restores. */
class JsonLinesFormatTest {
  @TempDir Path dir;

  private static final String CONTENT = "\uFEFFfirst\r\n\nthird line\n\uD83D\uDE80 fourth\nlast";
  private static final List<String> LINES =
      List.of("first", "", "third line", "\uD83D\uDE80 fourth", "last");

  private JsonLinesFormat format(Path file) {
    return new JsonLinesFormat(
        new SourceCatalog(
            List.of(new InputFile("f", file.toUri().toString(), SourceKind.EVENTS, 0))),
        1024);
  }

  private static FileSourceSplit split(Path file, long offset, long length, long size) {
    return new FileSourceSplit(
        "s" + offset, new org.apache.flink.core.fs.Path(file.toUri()), offset, length, 0, size);
  }

  private static List<RecordAndPosition<RawLine>> readAll(BulkFormat.Reader<RawLine> reader)
      throws IOException {
    List<RecordAndPosition<RawLine>> out = new ArrayList<>();
    for (BulkFormat.RecordIterator<RawLine> batch = reader.readBatch();
        batch != null;
        batch = reader.readBatch()) {
      for (RecordAndPosition<RawLine> r = batch.next(); r != null; r = batch.next()) {
        out.add(new RecordAndPosition<>(r.getRecord(), r.getOffset(), r.getRecordSkipCount()));
      }
    }
    reader.close();
    return out;
  }

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void readsEveryLineWithItsNumberAndProgressAddsUpToTheFileSize() throws IOException {
    Path file = write("a.jsonl", CONTENT);
    long size = Files.size(file);
    List<RecordAndPosition<RawLine>> lines =
        readAll(format(file).createReader(new Configuration(), split(file, 0, size, size)));
    assertThat(lines).extracting(r -> r.getRecord().text()).isEqualTo(LINES);
    assertThat(lines).extracting(r -> r.getRecord().line()).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(lines.stream().mapToLong(r -> r.getRecord().bytesRead()).sum()).isEqualTo(size);
    assertThat(lines)
        .extracting(RecordAndPosition::getRecordSkipCount)
        .containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void anySplitPointGivesEachLineToExactlyOneSplitWithTheSameNumber() throws IOException {
    Path file = write("a.jsonl", CONTENT);
    long size = Files.size(file);
    for (long cut = 1; cut < size; cut++) {
      List<RawLine> all = new ArrayList<>();
      for (FileSourceSplit s :
          List.of(split(file, 0, cut, size), split(file, cut, size - cut, size))) {
        readAll(format(file).createReader(new Configuration(), s))
            .forEach(r -> all.add(r.getRecord()));
      }
      assertThat(all).as("cut at %d", cut).extracting(RawLine::text).isEqualTo(LINES);
      assertThat(all)
          .as("cut at %d", cut)
          .extracting(RawLine::line)
          .containsExactly(1L, 2L, 3L, 4L, 5L);
    }
  }

  @Test
  void threeSplitsOfOneLineEach() throws IOException {
    Path file = write("b.jsonl", "aaaa\nbbbb\ncccc\n");
    List<RawLine> all = new ArrayList<>();
    for (int offset = 0; offset < 15; offset += 5) {
      readAll(format(file).createReader(new Configuration(), split(file, offset, 5, 15)))
          .forEach(r -> all.add(r.getRecord()));
    }
    assertThat(all).extracting(RawLine::text).containsExactly("aaaa", "bbbb", "cccc");
  }

  @Test
  void restoringSkipsTheLinesAlreadyEmitted() throws IOException {
    Path file = write("a.jsonl", CONTENT);
    long size = Files.size(file);
    FileSourceSplit restored =
        split(file, 0, size, size)
            .updateWithCheckpointedPosition(
                new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, 3));
    List<RecordAndPosition<RawLine>> lines =
        readAll(format(file).restoreReader(new Configuration(), restored));
    assertThat(lines).extracting(r -> r.getRecord().line()).containsExactly(4L, 5L);
    assertThat(lines).extracting(RecordAndPosition::getRecordSkipCount).containsExactly(4L, 5L);
  }

  @Test
  void gzipFilesAreDecompressedWhateverTheCaseOfTheirExtension() throws IOException {
    gzipIsDecompressed("c.jsonl.gz");
    gzipIsDecompressed("d.JSONL.GZ");
  }

  private void gzipIsDecompressed(String name) throws IOException {
    Path file = dir.resolve(name);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(CONTENT.getBytes(StandardCharsets.UTF_8));
    }
    long size = Files.size(file);
    List<RecordAndPosition<RawLine>> lines =
        readAll(format(file).createReader(new Configuration(), split(file, 0, size, size)));
    assertThat(lines).extracting(r -> r.getRecord().text()).isEqualTo(LINES);
    assertThat(lines.stream().mapToLong(r -> r.getRecord().bytesRead()).sum()).isEqualTo(size);
  }

  @Test
  void enumeratorSplitsLargePlainFilesIntoAtMostTheDesiredNumber() throws IOException {
    Path big = dir.resolve("big.jsonl");
    byte[] line = "x".repeat(1023).concat("\n").getBytes(StandardCharsets.UTF_8);
    try (OutputStream out = Files.newOutputStream(big)) {
      for (int i = 0; i < 20 * 1024; i++) {
        out.write(line);
      }
    }
    Path small = write("small.jsonl", "{}\n");
    var splits =
        new LineSplittingEnumerator()
            .enumerateSplits(
                new org.apache.flink.core.fs.Path[] {
                  new org.apache.flink.core.fs.Path(big.toUri()),
                  new org.apache.flink.core.fs.Path(small.toUri())
                },
                4);
    // 20 MiB allows two splits of at least 8 MiB; the small file is one.
    assertThat(splits).hasSize(3);
    assertThat(splits.stream().mapToLong(FileSourceSplit::length).sum())
        .isEqualTo(Files.size(big) + Files.size(small));
  }
}
