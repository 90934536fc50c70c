package dev.dataevents.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

/** Every record that crosses an operator boundary has a Flink-native serializer, never Kryo. */
class SerializationTest {

  @Test
  void recordTypesAreSerializedAsPojosWithoutKryo() {
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(ContactRecord.class);
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(Rejection.class);
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(RawLine.class);
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(ContactId.class);
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(DirectoryEntry.class);
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.dataevents.contact.LatestIdentifiers.class);
  }

  @Test
  void contactRecordRoundTripsWithNullsAndArrays() throws Exception {
    ContactRecord imported =
        ContactRecord.summaryImport(
            "ws_1",
            "email:a@b",
            42L,
            null,
            null,
            null,
            "A@b",
            new String[] {"x", "\uD83D\uDE80"},
            new long[] {1, 2},
            new long[] {3, 4},
            new long[] {5, 6},
            null);
    ContactRecord copy = roundTrip(imported, ContactRecord.class);
    assertThat(copy.summaryNames()).containsExactly("x", "\uD83D\uDE80");
    assertThat(copy.summaryLasts()).containsExactly(5, 6);
    assertThat(copy.userId()).isNull();
    assertThat(copy.email()).isEqualTo("A@b");
    assertThat(copy.position()).isEqualTo(42L);
  }

  private static <T> T roundTrip(T value, Class<T> type) throws Exception {
    TypeInformation<T> info = TypeInformation.of(type);
    assertThat(info).isInstanceOf(PojoTypeInfo.class);
    ExecutionConfig config = new ExecutionConfig();
    ((SerializerConfigImpl) config.getSerializerConfig()).setGenericTypes(false);
    TypeSerializer<T> serializer = info.createSerializer(config.getSerializerConfig());
    DataOutputSerializer out = new DataOutputSerializer(256);
    serializer.serialize(value, out);
    return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
  }
}
