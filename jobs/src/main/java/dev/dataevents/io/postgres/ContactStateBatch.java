package dev.dataevents.io.postgres;

import dev.dataevents.model.ContactState;
import dev.dataevents.model.ListedEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * The contact states a stream's subtask produced between two checkpoints (the latest of each
 * contact): what its checkpoint promises to write to the database once it completes.
 *
 * @param states one per contact
 */
public record ContactStateBatch(List<ContactState> states) {

  /**
   * Checkpoints hold batches until they are committed: an explicit, versioned format, so that a
   * later build restores them.
   */
  public static final class Serializer implements SimpleVersionedSerializer<ContactStateBatch> {
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
      return VERSION;
    }

    @Override
    public byte[] serialize(ContactStateBatch batch) throws IOException {
      DataOutputSerializer out = new DataOutputSerializer(1024);
      out.writeInt(batch.states().size());
      for (ContactState s : batch.states()) {
        StringValue.writeString(s.workspaceId(), out);
        StringValue.writeString(s.contactKey(), out);
        StringValue.writeString(s.userId(), out);
        StringValue.writeString(s.id(), out);
        StringValue.writeString(s.email(), out);
        out.writeInt(s.eventNames().length);
        for (int i = 0; i < s.eventNames().length; i++) {
          StringValue.writeString(s.eventNames()[i], out);
          out.writeLong(s.counts()[i]);
          out.writeLong(s.firsts()[i]);
          out.writeLong(s.lasts()[i]);
        }
        out.writeInt(s.listed().length);
        for (ListedEvent e : s.listed()) {
          writeListed(e, out);
        }
        out.writeLong(s.updatedAtMillis());
      }
      return out.getCopyOfBuffer();
    }

    @Override
    public ContactStateBatch deserialize(int version, byte[] serialized) throws IOException {
      if (version != VERSION) {
        throw new IOException("unknown version " + version + " of a contact state batch");
      }
      DataInputDeserializer in = new DataInputDeserializer(serialized);
      int n = in.readInt();
      List<ContactState> states = new ArrayList<>(n);
      for (int k = 0; k < n; k++) {
        String workspace = StringValue.readString(in);
        String key = StringValue.readString(in);
        String userId = StringValue.readString(in);
        String id = StringValue.readString(in);
        String email = StringValue.readString(in);
        int names = in.readInt();
        String[] eventNames = new String[names];
        long[] counts = new long[names];
        long[] firsts = new long[names];
        long[] lasts = new long[names];
        for (int i = 0; i < names; i++) {
          eventNames[i] = StringValue.readString(in);
          counts[i] = in.readLong();
          firsts[i] = in.readLong();
          lasts[i] = in.readLong();
        }
        ListedEvent[] listed = new ListedEvent[in.readInt()];
        for (int i = 0; i < listed.length; i++) {
          listed[i] = readListed(in);
        }
        long updatedAt = in.readLong();
        states.add(
            new ContactState(
                workspace,
                key,
                userId,
                id,
                email,
                eventNames,
                counts,
                firsts,
                lasts,
                listed,
                updatedAt));
      }
      return new ContactStateBatch(states);
    }

    private static void writeListed(ListedEvent e, DataOutputView out) throws IOException {
      StringValue.writeString(e.workspaceId(), out);
      StringValue.writeString(e.contactKey(), out);
      StringValue.writeString(e.eventName(), out);
      out.writeLong(e.createdAt());
      StringValue.writeString(e.userId(), out);
      StringValue.writeString(e.id(), out);
      StringValue.writeString(e.email(), out);
      StringValue.writeString(e.metadataJson(), out);
    }

    private static ListedEvent readListed(DataInputView in) throws IOException {
      String workspace = StringValue.readString(in);
      String key = StringValue.readString(in);
      String name = StringValue.readString(in);
      long createdAt = in.readLong();
      return new ListedEvent(
          workspace,
          key,
          name,
          createdAt,
          StringValue.readString(in),
          StringValue.readString(in),
          StringValue.readString(in),
          StringValue.readString(in));
    }
  }
}
