package dev.dataevents.io.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.model.ContactState;
import dev.dataevents.model.ListedEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A stream's committable survives the checkpoint: every field, nulls and odd text included. */
class ContactStateBatchTest {
  @Test
  void aBatchRoundTripsThroughItsSerializer() throws Exception {
    ListedEvent listed =
        new ListedEvent(
            "ws_1", "id:\ud83d\ude00", "b", 1_700_000_000L, null, "\ud83d\ude00", "A@b.c", null);
    ListedEvent withMetadata =
        new ListedEvent(
            "ws_1", "id:\ud83d\ude00", "a", 1_699_999_999L, "u", null, null, "{\"k\":[1]}");
    ContactState state =
        new ContactState(
            "ws_1",
            "id:\ud83d\ude00",
            null,
            "\ud83d\ude00",
            "A@b.c",
            new String[] {"a", "b"},
            new long[] {1, Long.MAX_VALUE},
            new long[] {1_699_999_999L, 1},
            new long[] {1_699_999_999L, 1_700_000_000L},
            new ListedEvent[] {listed, withMetadata},
            123_456L);
    ContactState empty =
        new ContactState(
            "ws_2",
            "email:x@y",
            null,
            null,
            "x@y",
            new String[0],
            new long[0],
            new long[0],
            new long[0],
            new ListedEvent[0],
            0L);
    ContactStateBatch.Serializer serializer = new ContactStateBatch.Serializer();
    ContactStateBatch back =
        serializer.deserialize(
            serializer.getVersion(),
            serializer.serialize(new ContactStateBatch(List.of(state, empty))));

    assertThat(back.states()).hasSize(2);
    assertThat(back.states().get(0)).usingRecursiveComparison().isEqualTo(state);
    assertThat(back.states().get(1)).usingRecursiveComparison().isEqualTo(empty);
  }
}
