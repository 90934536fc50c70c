package dev.dataevents.contact;

import static dev.dataevents.testing.Harnesses.contactFunction;
import static dev.dataevents.testing.Harnesses.keyed;
import static dev.dataevents.testing.Harnesses.lines;
import static dev.dataevents.testing.Harnesses.packed;
import static dev.dataevents.testing.Harnesses.sideOutput;
import static dev.dataevents.testing.Records.AS_OF;
import static dev.dataevents.testing.Records.CATALOG;
import static dev.dataevents.testing.Records.DAY;
import static dev.dataevents.testing.Records.event;
import static dev.dataevents.testing.Records.imported;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.ContactState;
import dev.dataevents.model.ListedEvent;
import dev.dataevents.model.PackedContactRecord;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

/**
 * The contact functions' states for a database ({@link ContactOutputs#STATES}): only when asked
 * for, one per contact (bounded) or per snapshot (stream), holding what the summary and listing
 * show.
 */
class ContactStatesTest {
  private static List<ContactState> bounded(boolean withStates, ContactRecord... records)
      throws Exception {
    ContactFunction function = new ContactFunction(CATALOG, AS_OF, 50, false);
    if (withStates) {
      function.withContactStates();
    }
    try (KeyedOneInputStreamOperatorTestHarness<Long, PackedContactRecord, byte[]> harness =
        contactFunction(function, ContactRecord::contactHash)) {
      harness.open();
      for (ContactRecord r : records) {
        harness.processElement(packed(r));
      }
      harness.processWatermark(new Watermark(Long.MAX_VALUE));
      return sideOutput(harness, ContactOutputs.STATES);
    }
  }

  @Test
  void aContactStateIsSerializedWithoutKryo() {
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(ContactState.class);
  }

  @Test
  void aBoundedRunEmitsNoStatesUnlessAsked() throws Exception {
    assertThat(bounded(false, event("u1", "a", AS_OF - DAY, 0, 1))).isEmpty();
  }

  @Test
  void aBoundedRunEmitsEachContactsCountsAndListedEvents() throws Exception {
    List<ContactState> states =
        bounded(
            true,
            event("u1", "b", AS_OF - DAY, 0, 1),
            event("u1", "a", AS_OF - 2 * DAY, 0, 2),
            event("u1", "b", AS_OF - 200 * DAY, 0, 3),
            event("u1", "b", AS_OF - DAY, 0, 4), // a duplicate
            imported("u1", "a", 3, AS_OF - 300 * DAY, AS_OF - 250 * DAY, 0, 5));
    assertThat(states).hasSize(1);
    ContactState s = states.get(0);
    assertThat(s.workspaceId()).isEqualTo("ws_1");
    assertThat(s.contactKey()).isEqualTo("user_id:u1");
    assertThat(s.userId()).isEqualTo("u1");
    assertThat(s.eventNames()).containsExactly("a", "b");
    assertThat(s.counts()).containsExactly(4, 2);
    assertThat(s.firsts()).containsExactly(AS_OF - 300 * DAY, AS_OF - 200 * DAY);
    assertThat(s.lasts()).containsExactly(AS_OF - 2 * DAY, AS_OF - DAY);
    assertThat(Arrays.stream(s.listed()).map(ListedEvent::eventName)).containsExactly("b", "a");
    assertThat(s.updatedAtMillis()).isEqualTo(AS_OF * 1000);
  }

  @Test
  void aStreamEmitsOneStatePerSnapshot() throws Exception {
    long now = AS_OF * 1000;
    StreamingContactFunction function =
        new StreamingContactFunction(10_000, 3650 * DAY, 50).withContactStates();
    try (KeyedOneInputStreamOperatorTestHarness<Long, ContactRecord, byte[]> harness =
        keyed(function, ContactRecord::contactHash)) {
      harness.setProcessingTime(now);
      harness.open();
      harness.processElement(new StreamRecord<>(event("u1", "a", AS_OF - DAY, 0, 1)));
      harness.processElement(new StreamRecord<>(event("u1", "a", AS_OF - 100 * DAY, 0, 2)));
      harness.setProcessingTime(now + 10_000);
      List<ContactState> states = sideOutput(harness, ContactOutputs.STATES);
      assertThat(states).hasSize(1);
      assertThat(states.get(0).counts()).containsExactly(2);
      assertThat(states.get(0).listed()).hasSize(1); // the other is older than 90 days
      assertThat(states.get(0).updatedAtMillis()).isEqualTo(now + 10_000);
      assertThat(lines(harness, ContactOutputs.SUMMARIES)).hasSize(1);
    }
  }
}
