package dev.dataevents.model.binary;

import static dev.dataevents.testing.Serializers.assertCopiedAsSerialized;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.PackedContactRecord;
import dev.dataevents.testing.Records;
import java.util.Arrays;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.junit.jupiter.api.Test;

/** A record packed for a bounded run's keyBy, across it as bytes, and unpacked. */
class ContactRecordPackerTest {
  private static final ContactRecord EVENT = Records.WIDE_TEXT_EVENT;

  private static final ContactRecord IMPORTED = Records.WIDE_TEXT_IMPORT;

  private final ContactRecordPacker packer = new ContactRecordPacker();

  @Test
  void aPackedRecordUnpacksToTheSameRecordKeyedByItsContact() {
    for (ContactRecord record : new ContactRecord[] {EVENT, IMPORTED, EVENT}) {
      PackedContactRecord packed = packer.pack(record);
      assertThat(packed.contactHash()).isEqualTo(record.contactHash());
      assertThat(new ContactRecordPacker().unpack(packed)).isEqualTo(record);
      assertThat(packer.unpack(packed)).isEqualTo(record);
    }
  }

  @Test
  void oneReusedPackerKeepsEveryRecordWholeWhateverItsSize() {
    // A line of 200,000 characters grows the packer's buffer past what it keeps; each packed record
    // must own its bytes, never share the buffer with the next.
    char[] longText = new char[200_000];
    Arrays.fill(longText, '\u00e9');
    ContactRecord huge =
        ContactRecord.event(
            "ws_1", "id:c", 9, null, "e", 5, null, "c", null, null, 0, 0, new String(longText));
    PackedContactRecord first = packer.pack(EVENT);
    PackedContactRecord big = packer.pack(huge);
    PackedContactRecord after = packer.pack(IMPORTED);
    assertThat(packer.unpack(first)).isEqualTo(EVENT);
    assertThat(packer.unpack(big)).isEqualTo(huge);
    assertThat(packer.unpack(after)).isEqualTo(IMPORTED);
  }

  @Test
  void packedRecordsCrossTheKeyByAndTheSortAsTheirBytes() throws Exception {
    TypeInformation<PackedContactRecord> info = TypeInformation.of(PackedContactRecord.class);
    assertThat(info).isInstanceOf(CompactTypeInfo.class);
    TypeSerializer<PackedContactRecord> serializer =
        info.createSerializer(new ExecutionConfig().getSerializerConfig());
    assertThat(serializer).isInstanceOf(PackedContactRecordSerializer.class);

    assertCopiedAsSerialized(
        PackedContactRecord.class, packer.pack(EVENT), packer.pack(IMPORTED), packer.pack(EVENT));
  }

  @Test
  void packedBytesThatAreNotOneWholeRecordAreABugNotARecord() {
    byte[] bytes = packer.pack(EVENT).bytes();
    PackedContactRecord cut =
        new PackedContactRecord(EVENT.contactHash(), Arrays.copyOf(bytes, bytes.length - 1));
    PackedContactRecord longer =
        new PackedContactRecord(EVENT.contactHash(), Arrays.copyOf(bytes, bytes.length + 1));
    assertThatThrownBy(() -> packer.unpack(cut))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ends within its fields");
    assertThatThrownBy(() -> packer.unpack(longer))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("1 bytes after its fields");
  }

  @Test
  void aPackedRecordPrintsItsKeyAndSizeNeverItsFields() {
    // The fields may hold a raw line, and a raw line a secret: exceptions and logs print records.
    PackedContactRecord packed = packer.pack(EVENT);
    assertThat(packed.toString())
        .isEqualTo(
            "PackedContactRecord[contactHash="
                + EVENT.contactHash()
                + ", "
                + packed.bytes().length
                + " bytes]")
        .doesNotContain("token");
  }
}
