package dev.dataevents.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Checks of the hand-written serializers of the records that cross a keyBy. */
public final class Serializers {
  private Serializers() {}

  /**
   * Serialized one after the other, copied one at a time (as Flink's sort copies the records it
   * spills), the bytes are the same, each copy takes exactly one record, and they read back as
   * {@code values}.
   */
  @SafeVarargs
  public static <T> void assertCopiedAsSerialized(Class<T> type, T... values) throws Exception {
    TypeSerializer<T> serializer =
        TypeInformation.of(type).createSerializer(new ExecutionConfig().getSerializerConfig());
    DataOutputSerializer written = new DataOutputSerializer(256);
    int[] ends = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      serializer.serialize(values[i], written);
      ends[i] = written.length();
    }
    byte[] bytes = written.getCopyOfBuffer();
    DataInputDeserializer in = new DataInputDeserializer(bytes);
    // Big enough: this view does not grow on write(DataInputView, int), as the sort's paged ones
    // do.
    DataOutputSerializer copied = new DataOutputSerializer(4096);
    for (int i = 0; i < values.length; i++) {
      serializer.copy(in, copied);
      assertThat(copied.length()).as("bytes copied by copy %d", i + 1).isEqualTo(ends[i]);
    }
    assertThat(in.available()).isZero();
    assertThat(copied.getCopyOfBuffer()).isEqualTo(bytes);
    DataInputDeserializer back = new DataInputDeserializer(copied.getCopyOfBuffer());
    for (T value : values) {
      assertThat(serializer.deserialize(back)).usingRecursiveComparison().isEqualTo(value);
    }
  }
}
