package dev.dataevents.io.socket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The socket source's one split. A socket cannot be replayed, so there is no position to resume
 * from; what a checkpoint keeps is how many lines were read, so that line numbers go on after a
 * restore instead of starting at 1 again.
 *
 * @param linesRead lines emitted before this point
 */
public record SocketSplit(long linesRead) implements SourceSplit {
  static final String ID = "socket";

  @Override
  public String splitId() {
    return ID;
  }

  /** Writes a split as its line count (version 1). */
  static final class Serializer implements SimpleVersionedSerializer<SocketSplit> {
    static final Serializer INSTANCE = new Serializer();

    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(SocketSplit split) {
      return ByteBuffer.allocate(Long.BYTES).putLong(split.linesRead()).array();
    }

    @Override
    public SocketSplit deserialize(int version, byte[] bytes) throws IOException {
      if (version != 1 || bytes.length != Long.BYTES) {
        throw new IOException("not a socket split of version 1 (version " + version + ")");
      }
      return new SocketSplit(ByteBuffer.wrap(bytes).getLong());
    }
  }

  /** Writes the splits the enumerator has not assigned yet (version 1). */
  static final class PendingSerializer implements SimpleVersionedSerializer<List<SocketSplit>> {
    static final PendingSerializer INSTANCE = new PendingSerializer();

    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(List<SocketSplit> splits) {
      ByteBuffer out = ByteBuffer.allocate(Integer.BYTES + splits.size() * Long.BYTES);
      out.putInt(splits.size());
      splits.forEach(s -> out.putLong(s.linesRead()));
      return out.array();
    }

    @Override
    public List<SocketSplit> deserialize(int version, byte[] bytes) throws IOException {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      if (version != 1 || bytes.length < Integer.BYTES) {
        throw new IOException("not socket enumerator state of version 1 (version " + version + ")");
      }
      int count = in.getInt();
      if (count < 0 || bytes.length != Integer.BYTES + (long) count * Long.BYTES) {
        throw new IOException("corrupt socket enumerator state");
      }
      List<SocketSplit> splits = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        splits.add(new SocketSplit(in.getLong()));
      }
      return splits;
    }
  }
}
