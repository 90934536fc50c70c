package dev.dataevents.io;

import dev.dataevents.model.RawLine;
import dev.dataevents.model.SourceKind;
import dev.dataevents.model.SourceNaming;
import java.io.BufferedInputStream;
import java.io.IOException;
import org.apache.flink.api.common.io.compression.InflaterInputStreamFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.compression.StandardDeCompressors;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.ArrayResultIterator;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;

/**
 * Reads JSON Lines files (gzip by extension) as {@link RawLine}s that know their file and line
 * number. A {@link BulkFormat} rather than a {@code StreamFormat} because only a bulk reader is
 * told which file it reads, and rejections must name it. Files are not split: line numbers count
 * from the start of the file. A checkpoint stores how many lines were emitted, so a restored reader
 * skips exactly those and the line numbers stay right.
 */
public final class JsonLinesFormat implements BulkFormat<RawLine, FileSourceSplit> {
  private static final long serialVersionUID = 1L;
  private static final int BATCH_SIZE = 1024;

  private final SourceNaming naming;
  private final int maxLineBytes;

  public JsonLinesFormat(SourceNaming naming, int maxLineBytes) {
    this.naming = naming;
    this.maxLineBytes = maxLineBytes;
  }

  @Override
  public Reader<RawLine> createReader(Configuration config, FileSourceSplit split)
      throws IOException {
    return new LinesReader(split, 0);
  }

  @Override
  public Reader<RawLine> restoreReader(Configuration config, FileSourceSplit split)
      throws IOException {
    long skip =
        split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
    return new LinesReader(split, skip);
  }

  /** Large uncompressed files are split (see {@link LineSplittingEnumerator}). */
  @Override
  public boolean isSplittable() {
    return true;
  }

  @Override
  public TypeInformation<RawLine> getProducedType() {
    return TypeInformation.of(RawLine.class);
  }

  /** The catalog key of a file as the file source names it. */
  public static String key(Path path) {
    return path.toUri().getPath();
  }

  private final class LinesReader implements Reader<RawLine> {
    private final int sourceIndex;
    private final String source;
    private final SourceKind kind;
    private final FSDataInputStream raw;
    private final long splitEnd;
    private final long lineLimit;
    private final long firstLineStart;
    private long linesBefore;
    private LineReader lines;
    private long lineNumber;
    private long lastPos;
    private boolean done;

    LinesReader(FileSourceSplit split, long skip) throws IOException {
      Path path = split.path();
      this.sourceIndex = naming.indexOf(key(path));
      this.source = naming.sourceOf(key(path));
      this.kind = naming.kindOf(key(path));
      this.raw = path.getFileSystem().open(path);
      this.splitEnd = split.offset() + split.length();
      InflaterInputStreamFactory<?> inflater =
          StandardDeCompressors.getDecompressorForFileName(
              path.getPath().toLowerCase(java.util.Locale.ROOT));
      if (inflater != null) {
        // Compressed files are never split: every line is this reader's.
        this.lineLimit = Long.MAX_VALUE;
        this.firstLineStart = 0;
        this.lines =
            new LineReader(
                inflater.create(new BufferedInputStream(raw, 64 * 1024)), maxLineBytes, true);
      } else {
        // A split owns the lines that start inside it; line numbers count from the file's start.
        this.lineLimit = split.length() == 0 ? Long.MAX_VALUE : splitEnd;
        this.firstLineStart = split.offset() == 0 ? 0 : seekToFirstLine(split.offset());
        this.lines = new LineReader(raw, maxLineBytes, firstLineStart == 0);
        this.done = firstLineStart < 0;
      }
      while (!done && lineNumber - linesBefore < skip && nextLine() != null) {
        lineNumber++;
      }
      this.lastPos = split.offset();
    }

    /**
     * Counts the lines that end before {@code offset - 1} and positions the stream at the first
     * line starting at or after {@code offset}; returns that position, or -1 when none does.
     */
    private long seekToFirstLine(long offset) throws IOException {
      byte[] buffer = new byte[64 * 1024];
      long pos = 0;
      long newlines = 0;
      while (true) {
        int n = raw.read(buffer, 0, buffer.length);
        if (n < 0) {
          return -1;
        }
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            newlines++;
            if (pos + i >= offset - 1) {
              long start = pos + i + 1;
              raw.seek(start);
              linesBefore = newlines;
              lineNumber = newlines;
              return start;
            }
          }
        }
        pos += n;
      }
    }

    private LineReader.Line nextLine() throws IOException {
      if (firstLineStart + lines.consumed() >= lineLimit) {
        return null; // the next line starts in the next split
      }
      return lines.next();
    }

    @Override
    public RecordIterator<RawLine> readBatch() throws IOException {
      try {
        return nextBatch();
      } catch (IOException e) {
        // A corrupt or truncated file (a broken .gz) cannot be read on: say which one it is.
        throw new IOException("cannot read " + source + ": " + e.getMessage(), e);
      }
    }

    private RecordIterator<RawLine> nextBatch() throws IOException {
      if (done) {
        return null;
      }
      RawLine[] batch = new RawLine[BATCH_SIZE];
      long emittedBefore = lineNumber - linesBefore;
      int n = 0;
      while (n < BATCH_SIZE) {
        LineReader.Line line = nextLine();
        if (line == null) {
          done = true;
          break;
        }
        lineNumber++;
        long pos = Math.min(raw.getPos(), Math.max(splitEnd, lastPos));
        batch[n++] =
            new RawLine(
                sourceIndex, source, kind, lineNumber, line.text(), line.tooLong(), pos - lastPos);
        lastPos = pos;
      }
      if (n == 0) {
        return null;
      }
      if (done && lastPos < splitEnd) {
        // Count the bytes read ahead to the end of the split, so progress ends at 100%.
        RawLine last = batch[n - 1];
        batch[n - 1] =
            new RawLine(
                last.sourceIndex(),
                last.source(),
                last.kind(),
                last.line(),
                last.text(),
                last.tooLong(),
                last.bytesRead() + splitEnd - lastPos);
        lastPos = splitEnd;
      }
      ArrayResultIterator<RawLine> result = new ArrayResultIterator<>();
      result.set(batch, n, CheckpointedPosition.NO_OFFSET, emittedBefore);
      return result;
    }

    @Override
    public void close() throws IOException {
      raw.close();
    }
  }
}
