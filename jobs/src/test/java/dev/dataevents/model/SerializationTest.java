package dev.dataevents.model;

import static dev.dataevents.testing.Serializers.assertCopiedAsSerialized;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.model.binary.CompactTypeInfo;
import dev.dataevents.model.binary.ContactRecordSerializer;
import dev.dataevents.testing.Records;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

/**
 * Every record that crosses an operator boundary or lives in keyed state has a Flink-native
 * serializer, never Kryo: the list below names them all (a new one goes here too). Those with a
 * compact serializer of their own ({@link ContactRecord}, {@link Rejection}, {@link
 * PackedContactRecord}) are checked below and in {@code model/binary}'s tests.
 */
class SerializationTest {

  @Test
  void recordTypesAreSerializedAsPojosWithoutKryo() {
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(RawLine.class);
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(ListedEvent.class);
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(ContactState.class);
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(ContactId.class);
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(DirectoryEntry.class);
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.dataevents.contact.LatestIdentifiers.class);
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.dataevents.io.socket.SocketRead.class);
  }

  @Test
  void anUnreadableFileMarkRoundTrips() throws Exception {
    RawLine mark =
        RawLine.unreadable(3, "in/a.jsonl.gz", SourceKind.EVENTS, 17, "EOFException: cut", 42);
    assertThat(roundTrip(mark, RawLine.class)).isEqualTo(mark);
    assertThat(mark.isBlank()).isFalse();
    RawLine line = new RawLine(0, "s", SourceKind.EVENTS, 1, "{}", false, 3);
    assertThat(roundTrip(line, RawLine.class)).isEqualTo(line);
    assertThat(line.unreadable()).isFalse();
  }

  @Test
  void socketReadsRoundTripWithAndWithoutAConnectionChange() throws Exception {
    var line = new dev.dataevents.io.socket.SocketRead(5, "x", true, 9, null);
    var change =
        new dev.dataevents.io.socket.SocketRead(
            5, null, false, 0, dev.dataevents.io.socket.SocketRead.Connection.RECONNECTING);
    assertThat(roundTrip(line, dev.dataevents.io.socket.SocketRead.class)).isEqualTo(line);
    assertThat(roundTrip(change, dev.dataevents.io.socket.SocketRead.class)).isEqualTo(change);
  }

  @Test
  void contactRecordsHaveTheirCompactSerializer() {
    TypeInformation<ContactRecord> info = TypeInformation.of(ContactRecord.class);
    assertThat(info).isInstanceOf(CompactTypeInfo.class);
    assertThat(info.createSerializer(new ExecutionConfig().getSerializerConfig()))
        .isInstanceOf(ContactRecordSerializer.class);
  }

  @Test
  void anEventRoundTripsWithEveryField() throws Exception {
    ContactRecord event =
        new ContactRecord(
            "ws_1",
            "user_id:u\u00e9",
            7L << 40 | 3,
            "in/a.jsonl",
            false,
            "caf\u00e9-\uD83D\uDE80",
            1389913941L,
            "u\u00e9",
            "5f1",
            "A@b.c",
            "{\"k\":\"\u6771\u4eac\"}".getBytes(StandardCharsets.UTF_8),
            3,
            1,
            null,
            null,
            null,
            null,
            "{\"raw\":1}",
            "du",
            "di",
            "de");
    assertThat(roundTrip(event, ContactRecord.class)).usingRecursiveComparison().isEqualTo(event);
  }

  @Test
  void rejectionsRoundTripEvenWithAnUnpairedSurrogate() throws Exception {
    Rejection cut =
        new Rejection(
            9L, 400, "line_too_long", null, "too long", "in/a.jsonl", 3, "{\"a\":\"x\uD83D");
    assertThat(TypeInformation.of(Rejection.class)).isInstanceOf(CompactTypeInfo.class);
    assertThat(roundTrip(cut, Rejection.class)).isEqualTo(cut);
    Rejection plain = new Rejection(1L, 422, "r", "f", "m", "s", 1, "caf\u00e9 \uD83D\uDE80");
    assertThat(roundTrip(plain, Rejection.class)).isEqualTo(plain);
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

  @Test
  void aSerializedRecordIsCopiedByteForByteAndExactlyOne() throws Exception {
    assertCopiedAsSerialized(
        ContactRecord.class,
        Records.WIDE_TEXT_EVENT,
        Records.WIDE_TEXT_IMPORT,
        Records.WIDE_TEXT_EVENT);
    assertCopiedAsSerialized(
        Rejection.class,
        new Rejection(
            9L, 400, "line_too_long", null, "too long", "in/a.jsonl", 3, "{\"a\":\"x\uD83D"),
        new Rejection(1L, 422, "r", "f", "", "s", 1, "caf\u00e9 \uD83D\uDE80"));
  }

  private static <T> T roundTrip(T value, Class<T> type) throws Exception {
    TypeInformation<T> info = TypeInformation.of(type);
    assertThat(info).isInstanceOfAny(PojoTypeInfo.class, CompactTypeInfo.class);
    ExecutionConfig config = new ExecutionConfig();
    ((SerializerConfigImpl) config.getSerializerConfig()).setGenericTypes(false);
    TypeSerializer<T> serializer = info.createSerializer(config.getSerializerConfig());
    DataOutputSerializer out = new DataOutputSerializer(256);
    serializer.serialize(value, out);
    return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
  }
}
