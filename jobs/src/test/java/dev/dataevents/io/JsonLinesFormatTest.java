package dev.dataevents.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    return format(file, 1024, false);
  }

  /** The reader of a stream: a file that cannot be read on ends in a record saying so. */
  private JsonLinesFormat streamFormat(Path file) {
    return format(file, 1024, true);
  }

  private JsonLinesFormat format(Path file, int maxLineBytes, boolean unreadableAsRecord) {
    return new JsonLinesFormat(
        new SourceCatalog(
            List.of(new InputFile("f", file.toUri().toString(), SourceKind.EVENTS, 0))),
        maxLineBytes,
        unreadableAsRecord);
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

    // The bytes the first three lines counted before the checkpoint are not counted again: a
    // stream's "bytes read" grew by the skipped part of a file at every restore.
    long countedBefore =
        readAll(format(file).createReader(new Configuration(), whole(file))).stream()
            .limit(3)
            .mapToLong(r -> r.getRecord().bytesRead())
            .sum();
    assertThat(countedBefore + lines.stream().mapToLong(r -> r.getRecord().bytesRead()).sum())
        .isEqualTo(size);
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

  private static byte[] gzip(String content) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  private Path writeBytes(String name, byte[]... parts) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    for (byte[] part : parts) {
      bytes.writeBytes(part);
    }
    Path file = dir.resolve(name);
    Files.write(file, bytes.toByteArray());
    return file;
  }

  @Test
  void concatenatedGzipMembersAreReadAsOneFile() throws IOException {
    // What `cat a.gz b.gz > c.gz` makes, and what gzip -d reads as one text.
    Path file = writeBytes("c.jsonl.gz", gzip("first\nsecond\n"), gzip("third\n"));
    assertThat(readAll(format(file).createReader(new Configuration(), whole(file))))
        .extracting(r -> r.getRecord().text())
        .containsExactly("first", "second", "third");
  }

  @Test
  void aBoundedRunFailsOnBytesAfterTheLastGzipMember() throws IOException {
    // Java's GZIPInputStream, like gzip -d, ignores such bytes; they are damage all the same
    // (a file appended to while being copied, two files run together), and the contract says a
    // corrupt .gz fails a bounded run.
    for (byte[] tail :
        List.of(
            "garbage\n".getBytes(StandardCharsets.UTF_8),
            new byte[] {0},
            new byte[] {0x1f, (byte) 0x8b})) {
      Path file = writeBytes("tail.jsonl.gz", gzip("first\nsecond\n"), tail);
      BulkFormat.Reader<RawLine> reader =
          format(file).createReader(new Configuration(), whole(file));
      assertThatThrownBy(() -> readAll(reader))
          .as("tail %s", java.util.Arrays.toString(tail))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("cannot read f from line 3: ")
          .hasNoCause();
    }
  }

  @Test
  void aBoundedRunFailsOnASecondGzipMemberCutInItsHeader() throws IOException {
    Path file =
        writeBytes(
            "cut.jsonl.gz", gzip("first\nsecond\n"), java.util.Arrays.copyOf(gzip("third\n"), 6));
    BulkFormat.Reader<RawLine> reader = format(file).createReader(new Configuration(), whole(file));
    assertThatThrownBy(() -> readAll(reader))
        .isInstanceOf(IOException.class)
        .hasMessage("cannot read f from line 3: EOFException: Unexpected end of gzip header");
  }

  @Test
  void aGzipWithAWrongChecksumFailsABoundedRun() throws IOException {
    byte[] bytes = gzip("first\nsecond\n");
    bytes[bytes.length - 8] ^= 1; // the CRC-32 of the trailer
    Path file = writeBytes("crc.jsonl.gz", bytes);
    BulkFormat.Reader<RawLine> reader = format(file).createReader(new Configuration(), whole(file));
    assertThatThrownBy(() -> readAll(reader))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot read f from line ")
        .hasMessageContaining("CRC-32");
  }

  @Test
  void bytesAfterTheLastGzipMemberInAStreamAreTheLinesThenOneUnreadableRecord() throws IOException {
    byte[] member = gzip("first\nsecond\n");
    Path file = writeBytes("tail.jsonl.gz", member, "garbage\n".getBytes(StandardCharsets.UTF_8));
    List<RecordAndPosition<RawLine>> records =
        readAll(streamFormat(file).createReader(new Configuration(), whole(file)));
    assertThat(records)
        .extracting(r -> r.getRecord().unreadable())
        .containsExactly(false, false, true);
    RawLine last = records.get(2).getRecord();
    assertThat(last.line()).isEqualTo(3);
    assertThat(last.text())
        .isEqualTo(
            "ZipException: Not in GZIP format after gzip member 1 (at byte " + member.length + ")");
    assertThat(records.stream().mapToLong(r -> r.getRecord().bytesRead()).sum())
        .isEqualTo(Files.size(file));
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

  // ---------------------------------------------------------------- files that break off

  /** A gzip of {@code lines} numbered lines cut in the middle; returns its readable lines. */
  private int brokenGzip(Path file, int lines) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      for (int i = 1; i <= lines; i++) {
        out.write(
            ("{\"n\":" + i + ",\"pad\":\"" + "p".repeat(i % 50) + "\"}\n")
                .getBytes(StandardCharsets.UTF_8));
      }
    }
    Files.write(file, java.util.Arrays.copyOf(bytes.toByteArray(), bytes.size() / 2));
    int readable = 0;
    try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
      for (int b = in.read(); b >= 0; b = in.read()) {
        readable += b == '\n' ? 1 : 0;
      }
    } catch (java.io.EOFException expected) {
      return readable;
    }
    throw new AssertionError("not broken");
  }

  private FileSourceSplit whole(Path file) throws IOException {
    long size = Files.size(file);
    return split(file, 0, size, size);
  }

  @Test
  void aBrokenGzipInAStreamIsItsReadableLinesThenOneUnreadableRecord() throws IOException {
    Path file = dir.resolve("broken.jsonl.gz");
    int readable = brokenGzip(file, 20_000);
    List<RecordAndPosition<RawLine>> records =
        readAll(streamFormat(file).createReader(new Configuration(), whole(file)));
    assertThat(records).hasSize(readable + 1);
    assertThat(records.subList(0, readable))
        .allSatisfy(r -> assertThat(r.getRecord().unreadable()).isFalse());
    assertThat(records.get(readable - 1).getRecord().text()).startsWith("{\"n\":" + readable + ",");
    RawLine last = records.get(readable).getRecord();
    assertThat(last)
        .isEqualTo(
            RawLine.unreadable(
                0,
                "f",
                SourceKind.EVENTS,
                readable + 1,
                "EOFException: Unexpected end of ZLIB input stream",
                last.bytesRead()));
    assertThat(records.stream().mapToLong(r -> r.getRecord().bytesRead()).sum())
        .isEqualTo(Files.size(file));
  }

  @Test
  void aRestoreAfterTheUnreadableRecordReadsNothingMoreOfTheFile() throws IOException {
    Path file = dir.resolve("broken.jsonl.gz");
    int readable = brokenGzip(file, 20_000);
    List<RecordAndPosition<RawLine>> first =
        readAll(streamFormat(file).createReader(new Configuration(), whole(file)));
    RecordAndPosition<RawLine> lastEmitted = first.get(first.size() - 1);
    FileSourceSplit checkpointed =
        whole(file)
            .updateWithCheckpointedPosition(
                new CheckpointedPosition(
                    lastEmitted.getOffset(), lastEmitted.getRecordSkipCount()));
    assertThat(readAll(streamFormat(file).restoreReader(new Configuration(), checkpointed)))
        .isEmpty();

    // Restored before it: the lines after the checkpoint, then the record, once.
    FileSourceSplit earlier =
        whole(file)
            .updateWithCheckpointedPosition(
                new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, readable - 2));
    List<RecordAndPosition<RawLine>> rest =
        readAll(streamFormat(file).restoreReader(new Configuration(), earlier));
    assertThat(rest)
        .extracting(r -> r.getRecord().line())
        .containsExactly((long) readable - 1, (long) readable, (long) readable + 1);
    assertThat(rest)
        .extracting(r -> r.getRecord().unreadable())
        .containsExactly(false, false, true);
  }

  /**
   * A file cut short after it was found (truncated while read, as log rotation by copy and truncate
   * does): its whole lines up to the cut, then one record saying so at the line the cut broke off
   * (what is left of that line is no line of the file: not read as one), never a silent end; a
   * bounded run fails naming the file and that line. A file that grew is read as far as it was when
   * found.
   */
  @Test
  void aFileCutShortAfterItWasFoundIsItsLinesThenOneUnreadableRecord() throws IOException {
    Path file = dir.resolve("cut.jsonl");
    Files.writeString(file, "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n");
    long found = Files.size(file);
    Files.writeString(file, "{\"n\":1}\n{\"n\":2");
    List<RecordAndPosition<RawLine>> records =
        readAll(streamFormat(file).createReader(new Configuration(), split(file, 0, found, found)));
    assertThat(records).extracting(r -> r.getRecord().unreadable()).containsExactly(false, true);
    RawLine last = records.get(1).getRecord();
    assertThat(last.line()).isEqualTo(2);
    assertThat(last.text())
        .isEqualTo(
            "EOFException: the file ended at byte 14, before the 24 bytes it held when it was"
                + " found (cut short while it was read)");
    assertThat(records.stream().mapToLong(r -> r.getRecord().bytesRead()).sum()).isEqualTo(found);

    BulkFormat.Reader<RawLine> bounded =
        format(file).createReader(new Configuration(), split(file, 0, found, found));
    assertThatThrownBy(() -> readAll(bounded))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot read f from line 2: EOFException: the file ended at byte");

    Files.writeString(file, "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n{\"n\":4}\n");
    assertThat(
            readAll(
                streamFormat(file).createReader(new Configuration(), split(file, 0, found, found))))
        .extracting(r -> r.getRecord().text())
        .containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
  }

  @Test
  void aBoundedRunFailsOnABrokenGzipWithOneLineNamingTheFileAndLine() throws IOException {
    Path file = dir.resolve("broken.jsonl.gz");
    int readable = brokenGzip(file, 20_000);
    BulkFormat.Reader<RawLine> reader = format(file).createReader(new Configuration(), whole(file));
    assertThatThrownBy(() -> readAll(reader))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "cannot read f from line "
                + (readable + 1)
                + ": EOFException: Unexpected end of ZLIB input stream")
        .hasNoCause();
  }

  @Test
  void aFileThatCannotBeOpenedIsOneRecordAtLine1FromItsFirstSplitOnly() throws IOException {
    Path gone = dir.resolve("gone.jsonl");
    List<RecordAndPosition<RawLine>> first =
        readAll(streamFormat(gone).createReader(new Configuration(), split(gone, 0, 10, 20)));
    assertThat(first)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getRecord().unreadable()).isTrue();
              assertThat(r.getRecord().line()).isEqualTo(1);
              assertThat(r.getRecord().text()).startsWith("FileNotFoundException: ");
            });
    assertThat(
            readAll(streamFormat(gone).createReader(new Configuration(), split(gone, 10, 10, 20))))
        .isEmpty();
    Path notGzip = write("fake.jsonl.gz", "not gzip at all\n");
    assertThat(readAll(streamFormat(notGzip).createReader(new Configuration(), whole(notGzip))))
        .singleElement()
        .satisfies(
            r -> assertThat(r.getRecord().text()).isEqualTo("ZipException: Not in GZIP format"));
  }

  /**
   * A file removed while the stream was down, after its first lines were committed: the restored
   * reader says where reading stopped (after the lines emitted before), not line 1.
   */
  @Test
  void aFileGoneBeforeARestoreIsOneRecordAtTheLineReadingStopped() throws IOException {
    Path gone = dir.resolve("gone-later.jsonl");
    FileSourceSplit restored =
        split(gone, 0, 100, 100)
            .updateWithCheckpointedPosition(
                new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, 7));
    assertThat(readAll(streamFormat(gone).restoreReader(new Configuration(), restored)))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getRecord().unreadable()).isTrue();
              assertThat(r.getRecord().line()).isEqualTo(8);
              assertThat(r.getRecord().text()).startsWith("FileNotFoundException: ");
            });
  }

  @Test
  void batchesHoldAtMost1024LinesOr4MiBOfText() throws IOException {
    Path shortLines = write("short.jsonl", "{}\n".repeat(3000));
    BulkFormat.Reader<RawLine> reader =
        format(shortLines).createReader(new Configuration(), whole(shortLines));
    assertThat(count(reader.readBatch())).isEqualTo(1024);
    reader.close();

    Path longLines = dir.resolve("long.jsonl");
    try (OutputStream out = Files.newOutputStream(longLines)) {
      byte[] line = ("\"" + "y".repeat(1024 * 1024 - 2) + "\"\n").getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 10; i++) {
        out.write(line);
      }
    }
    BulkFormat.Reader<RawLine> big =
        format(longLines, 2 * 1024 * 1024, false)
            .createReader(new Configuration(), whole(longLines));
    List<Integer> sizes = new ArrayList<>();
    for (BulkFormat.RecordIterator<RawLine> batch = big.readBatch();
        batch != null;
        batch = big.readBatch()) {
      sizes.add(count(batch));
    }
    big.close();
    assertThat(sizes).containsExactly(4, 4, 2);
  }

  private static int count(BulkFormat.RecordIterator<RawLine> batch) {
    int n = 0;
    while (batch.next() != null) {
      n++;
    }
    batch.releaseBatch();
    return n;
  }
}
