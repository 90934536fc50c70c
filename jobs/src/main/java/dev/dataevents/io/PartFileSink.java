package dev.dataevents.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the JSON lines (UTF-8 bytes, as rendered) of a bounded run to {@code
 * <dir>/part-<subtask>.jsonl}. Flink's {@code FileSink} names part files by a random UUID, which
 * would break the promise that a rerun is byte-identical; naming by subtask index keeps it, since
 * each subtask receives its records through a key in a fixed order. No two-phase commit is needed:
 * the whole output folder is staged and only moved into place when the job succeeded. A subtask
 * that receives nothing writes no file.
 */
public final class PartFileSink implements Sink<byte[]> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(PartFileSink.class);

  private final URI directory;

  /**
   * @param directory the folder that receives the part files (a URI, not its string: Flink's {@code
   *     Path(String)} would take an escape such as {@code %20} literally)
   */
  public PartFileSink(URI directory) {
    this.directory = directory;
  }

  public static String partFileName(int subtask) {
    return String.format("part-%05d.jsonl", subtask);
  }

  @Override
  public SinkWriter<byte[]> createWriter(WriterInitContext context) {
    return new Writer(
        new Path(new Path(directory), partFileName(context.getTaskInfo().getIndexOfThisSubtask())));
  }

  static final class Writer implements SinkWriter<byte[]> {
    private final Path file;
    private OutputStream out;

    Writer(Path file) {
      this.file = file;
    }

    @Override
    public void write(byte[] line, Context context) throws IOException {
      try {
        if (out == null) {
          // OVERWRITE: a restarted attempt of the same subtask starts its file afresh.
          out =
              new BufferedOutputStream(
                  file.getFileSystem().create(file, FileSystem.WriteMode.OVERWRITE), 256 * 1024);
        }
        out.write(line);
        out.write('\n');
      } catch (IOException e) {
        throw named(e);
      }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
      if (out == null) {
        return;
      }
      try {
        if (endOfInput) {
          // The last bytes reach the file here, so a full disk fails the task here, with its
          // cause.
          OutputStream finished = out;
          out = null;
          finished.close();
        } else {
          out.flush();
        }
      } catch (IOException e) {
        throw named(e);
      }
    }

    /**
     * The error with the file it happened to (a full disk's "No space left on device" said nothing
     * of which disk). Not its cause: the command prints a failure's root cause.
     */
    private IOException named(IOException e) {
      IOException named = new IOException("cannot write " + file.getPath() + ": " + e.getMessage());
      named.addSuppressed(e);
      return named;
    }

    /**
     * Finds a stream still open only when the task failed or was cancelled: its staged output is
     * discarded, so the file is just released. An exception thrown here would hide the task's own
     * failure: Flink counts an error while cleaning up a failed task as fatal and shuts the
     * TaskManager down, and the job fails with "The TaskExecutor is shutting down".
     */
    @Override
    public void close() {
      if (out != null) {
        try {
          out.close();
        } catch (IOException e) {
          LOG.debug("Closing {} after a failure: {}", file, e.toString());
        } finally {
          out = null;
        }
      }
    }
  }
}
