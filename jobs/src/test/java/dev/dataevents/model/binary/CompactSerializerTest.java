package dev.dataevents.model.binary;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class CompactSerializerTest {

  /**
   * Kept metadata crossed the keyed exchange, and sat in a stream's checkpointed state (the
   * directory join's waiting records), as a string before it was kept as UTF-8: both forms of that
   * string read back as its UTF-8 bytes, and the bytes are written as the string was.
   */
  @Test
  void utf8TextReadsWhatTheStringFormWroteAndWritesTheSameBytes() throws Exception {
    String[] texts = {"{\"k\":\"caf\u00e9 \uD83D\uDE80\"}", "{\"k\":\"x\uD83D\"}", ""};
    for (String text : texts) {
      DataOutputSerializer asString = new DataOutputSerializer(64);
      CompactSerializer.writeString(text, asString);
      byte[] utf8 =
          CompactSerializer.readUtf8(new DataInputDeserializer(asString.getCopyOfBuffer()));
      assertThat(utf8).isEqualTo(text.getBytes(StandardCharsets.UTF_8));

      DataOutputSerializer asBytes = new DataOutputSerializer(64);
      CompactSerializer.writeUtf8(utf8, asBytes);
      if (!text.contains("\uD83D\"")) { // a lone surrogate has no UTF-8 form to compare with
        assertThat(asBytes.getCopyOfBuffer()).isEqualTo(asString.getCopyOfBuffer());
      }
    }
    DataOutputSerializer none = new DataOutputSerializer(8);
    CompactSerializer.writeUtf8(null, none);
    assertThat(CompactSerializer.readUtf8(new DataInputDeserializer(none.getCopyOfBuffer())))
        .isNull();
  }
}
