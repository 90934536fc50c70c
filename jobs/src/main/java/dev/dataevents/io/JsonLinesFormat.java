package dev.dataevents.io;

import dev.dataevents.model.RawLine;
import dev.dataevents.model.SourceCatalog;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
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

  private final SourceCatalog catalog;
  private final int maxLineBytes;

  public JsonLinesFormat(SourceCatalog catalog, int maxLineBytes) {
    this.catalog = catalog;
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

  @Override
  public boolean isSplittable() {
    return false;
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
    private final FSDataInputStream raw;
    private final LineReader lines;
    private long lineNumber;
    private long lastPos;
    private boolean done;

    LinesReader(FileSourceSplit split, long skip) throws IOException {
      Path path = split.path();
      this.sourceIndex = catalog.indexOf(key(path));
      this.raw = path.getFileSystem().open(path);
      InflaterInputStreamFactory<?> inflater =
          StandardDeCompressors.getDecompressorForFileName(path.getPath());
      InputStream in =
          inflater == null ? raw : inflater.create(new BufferedInputStream(raw, 64 * 1024));
      this.lines = new LineReader(in, maxLineBytes);
      while (lineNumber < skip && lines.next() != null) {
        lineNumber++;
      }
      this.lastPos = raw.getPos();
    }

    @Override
    public RecordIterator<RawLine> readBatch() throws IOException {
      if (done) {
        return null;
      }
      RawLine[] batch = new RawLine[BATCH_SIZE];
      long emittedBefore = lineNumber;
      int n = 0;
      while (n < BATCH_SIZE) {
        LineReader.Line line = lines.next();
        if (line == null) {
          done = true;
          break;
        }
        lineNumber++;
        long pos = raw.getPos();
        batch[n++] =
            new RawLine(sourceIndex, lineNumber, line.text(), line.tooLong(), pos - lastPos);
        lastPos = pos;
      }
      if (n == 0) {
        return null;
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
