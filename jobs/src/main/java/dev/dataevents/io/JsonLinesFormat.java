package dev.dataevents.io;

import dev.dataevents.model.RawLine;
import dev.dataevents.model.SourceKind;
import dev.dataevents.model.SourceNaming;
import java.io.EOFException;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.ArrayResultIterator;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.SingletonResultIterator;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;

/**
 * Reads JSON Lines files (gzip by extension) as {@link RawLine}s that know their file and line
 * number. A {@link BulkFormat} rather than a {@code StreamFormat} because only a bulk reader is
 * told which file it reads, and rejections must name it. Large plain files may be split (see {@link
 * LineSplittingEnumerator}); line numbers always count from the start of the file. A checkpoint
 * stores how many lines were emitted, so a restored reader skips exactly those and the line numbers
 * stay right.
 *
 * <p>Lines are handed on in batches of at most {@value #BATCH_LINES} lines or {@value #BATCH_CHARS}
 * characters, whichever comes first: a batch of long lines stays small, so memory is bounded by the
 * line limit rather than by how many long lines a file has.
 *
 * <p>A file that cannot be read to its end (a corrupt or truncated {@code .gz}, no permission)
 * fails a bounded run with a one-line error naming it. In a stream it ends instead in one {@link
 * RawLine#unreadable} record after the lines read before it, in a batch of its own whose
 * checkpointed offset says it was emitted: a restored reader emits nothing more of that file.
 */
public final class JsonLinesFormat implements BulkFormat<RawLine, FileSourceSplit> {
  private static final long serialVersionUID = 1L;

  static final int BATCH_LINES = 1024;
  static final long BATCH_CHARS = 4L * 1024 * 1024;

  /**
   * The checkpointed offset of a split whose unreadable record was emitted (lines have {@link
   * CheckpointedPosition#NO_OFFSET}): nothing of it is left to read.
   */
  private static final long REPORTED_UNREADABLE = 0;

  private final SourceNaming naming;
  private final int maxLineBytes;
  private final boolean unreadableAsRecord;

  /** A reader for a bounded run: a file that cannot be read to its end fails the run. */
  public JsonLinesFormat(SourceNaming naming, int maxLineBytes) {
    this(naming, maxLineBytes, false);
  }

  /**
   * @param unreadableAsRecord whether a file that cannot be read to its end ends in an {@link
   *     RawLine#unreadable} record (a stream, which goes on) rather than failing the job
   */
  public JsonLinesFormat(SourceNaming naming, int maxLineBytes, boolean unreadableAsRecord) {
    this.naming = naming;
    this.maxLineBytes = maxLineBytes;
    this.unreadableAsRecord = unreadableAsRecord;
  }

  @Override
  public Reader<RawLine> createReader(Configuration config, FileSourceSplit split)
      throws IOException {
    return new LinesReader(split, null);
  }

  @Override
  public Reader<RawLine> restoreReader(Configuration config, FileSourceSplit split)
      throws IOException {
    return new LinesReader(split, split.getReaderPosition().orElse(null));
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

  /** An exception in one line: its class and message. */
  static String describe(IOException e) {
    String message = e.getMessage();
    String text = e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    return text.replaceAll("[\\r\\n]+", " ");
  }

  private final class LinesReader implements Reader<RawLine> {
    private final int sourceIndex;
    private final String source;
    private final SourceKind kind;
    private final long splitEnd;
    private FSDataInputStream raw;
    private long lineLimit = Long.MAX_VALUE;
    private long firstLineStart;
    private long linesBefore;
    private LineReader lines;
    private long lineNumber;
    private long lastPos;
    private boolean done;

    /**
     * The file stream's position as last asked, and how many reads {@link #lines} had made then:
     * asking a local file for its position is a system call, and it moves only when the line reader
     * reads (a million lines made a million calls for some 5,000 reads).
     */
    private long streamPos = -1;

    private long readsAtStreamPos = -1;

    /** Why the file could not be read on, until the record saying so is emitted. */
    private IOException unreadable;

    /**
     * @param position where a restored reader goes on, or null for a fresh one
     */
    LinesReader(FileSourceSplit split, CheckpointedPosition position) throws IOException {
      Path path = split.path();
      this.sourceIndex = naming.indexOf(key(path));
      this.source = naming.sourceOf(key(path));
      this.kind = naming.kindOf(key(path));
      this.splitEnd = split.offset() + split.length();
      this.lastPos = split.offset();
      if (position != null && position.getOffset() == REPORTED_UNREADABLE) {
        done = true; // the file broke off and its rejection was emitted before the restore
        return;
      }
      long skip = position == null ? 0 : position.getRecordsAfterOffset();
      try {
        this.raw = path.getFileSystem().open(path);
      } catch (IOException e) {
        // Every split of the file fails to open it: its first split alone says so, after the lines
        // it emitted before a restore (the file was removed while the stream was down).
        lineNumber = skip;
        failed(e, split.offset() == 0);
        return;
      }
      try {
        if (Decompression.isCompressed(path.getPath())) {
          // Compressed files are never split: every line is this reader's.
          this.lines = new LineReader(Decompression.open(path.getPath(), raw), maxLineBytes, true);
        } else {
          // A split owns the lines that start inside it; line numbers count from the file's
          // start.
          this.lineLimit = split.length() == 0 ? Long.MAX_VALUE : splitEnd;
          this.firstLineStart = split.offset() == 0 ? 0 : seekToFirstLine(split.offset());
          this.lines = new LineReader(raw, maxLineBytes, firstLineStart == 0);
          this.done = firstLineStart < 0;
        }
      } catch (IOException e) {
        // Bytes before this split's own: the split that owns them says so.
        failed(e, split.offset() == 0);
        return;
      }
      try {
        while (!done && lineNumber - linesBefore < skip && nextLine() != null) {
          lineNumber++;
        }
      } catch (IOException e) {
        failed(e, true);
      }
      if (skip > 0 && raw != null) {
        // The skipped lines' bytes were counted before the checkpoint, up to where the reader had
        // read then, which a reader reading the same way has reached again here.
        lastPos = Math.min(raw.getPos(), Math.max(splitEnd, lastPos));
      }
    }

    /**
     * The file cannot be read on here: a bounded run fails; a stream emits the record saying so
     * next, when {@code report}, or just stops reading the split.
     */
    private void failed(IOException e, boolean report) throws IOException {
      if (!unreadableAsRecord) {
        throw unreadableFile(e);
      }
      done = true;
      if (report) {
        unreadable = e;
      }
    }

    /** One line that names the file, the line and the error (the stack trace stays attached). */
    private IOException unreadableFile(IOException e) {
      IOException named =
          new IOException(
              "cannot read " + source + " from line " + (lineNumber + 1) + ": " + describe(e));
      named.addSuppressed(e);
      return named;
    }

    /**
     * Counts the lines that end before {@code offset - 1} and positions the stream at the first
     * line starting at or after {@code offset}; returns that position, or -1 when none does.
     */
    private long seekToFirstLine(long offset) throws IOException {
      byte[] buffer = new byte[1024 * 1024];
      long pos = 0;
      long newlines = 0;
      while (true) {
        int n = raw.read(buffer, 0, buffer.length);
        if (n < 0) {
          return -1;
        }
        // Line ends before offset - 1 are only counted; the first one from there ends the line
        // that the previous split owns.
        int from = (int) Math.min(n, Math.max(0, offset - 1 - pos));
        newlines += Newlines.count(buffer, 0, from);
        for (int i = from; i < n; i++) {
          if (buffer[i] == '\n') {
            newlines++;
            long start = pos + i + 1;
            raw.seek(start);
            linesBefore = newlines;
            lineNumber = newlines;
            return start;
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
      if (unreadable != null) {
        return unreadableRecord();
      }
      if (done) {
        return null;
      }
      RawLine[] batch = new RawLine[BATCH_LINES];
      long emittedBefore = lineNumber - linesBefore;
      long chars = 0;
      int n = 0;
      while (n < BATCH_LINES && chars < BATCH_CHARS) {
        LineReader.Line line;
        try {
          line = nextLine();
        } catch (IOException e) {
          // A corrupt or truncated file (a broken .gz): the lines so far go out first.
          failed(e, true);
          break;
        }
        long end = firstLineStart + lines.consumed();
        boolean cutShort = lineLimit != Long.MAX_VALUE && end < splitEnd;
        if (line == null || (cutShort && lines.unterminated())) {
          // (A line ended by the end of a file that held more is what was left of a line at the
          // cut: no line of the file, not read as one.)
          if (cutShort) {
            // The file held more when it was found: it was cut short while read (a log rotated
            // by copy and truncate). What it held after the cut is gone: said, not dropped.
            failed(
                new EOFException(
                    "the file ended at byte "
                        + end
                        + ", before the "
                        + splitEnd
                        + " bytes it held when it was found (cut short while it was read)"),
                true);
            break;
          }
          done = true;
          break;
        }
        lineNumber++;
        chars += line.text().length();
        long pos = Math.min(streamPos(), Math.max(splitEnd, lastPos));
        batch[n++] =
            new RawLine(
                sourceIndex, source, kind, lineNumber, line.text(), line.tooLong(), pos - lastPos);
        lastPos = pos;
      }
      if (n == 0) {
        return unreadable != null ? unreadableRecord() : null;
      }
      if (done && unreadable == null && lastPos < splitEnd) {
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

    /** {@code raw.getPos()}, asked again only when the line reader has read since. */
    private long streamPos() throws IOException {
      if (lines.reads() != readsAtStreamPos) {
        streamPos = raw.getPos();
        readsAtStreamPos = lines.reads();
      }
      return streamPos;
    }

    /** The record that says where the file broke off, alone in its batch (see the class doc). */
    private RecordIterator<RawLine> unreadableRecord() {
      RawLine record =
          RawLine.unreadable(
              sourceIndex,
              source,
              kind,
              lineNumber + 1,
              describe(unreadable),
              Math.max(0, splitEnd - lastPos));
      lastPos = Math.max(lastPos, splitEnd);
      unreadable = null;
      SingletonResultIterator<RawLine> result = new SingletonResultIterator<>();
      result.set(record, REPORTED_UNREADABLE, 1);
      return result;
    }

    @Override
    public void close() throws IOException {
      if (raw != null) {
        raw.close();
      }
    }
  }
}
