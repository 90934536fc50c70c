package dev.dataevents.contact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.model.ContactId;
import org.junit.jupiter.api.Test;

/** Composite keys of keyed state: their form is part of the checkpoint format. */
class StateKeyTest {
  @Test
  void partsAreJoinedByNul() {
    assertThat(StateKey.of("ws_1", "user_id:u1", "placed-order"))
        .isEqualTo("ws_1\u0000user_id:u1\u0000placed-order");
    assertThat(StateKey.contact("ws_1", "id:c1")).isEqualTo("ws_1\u0000id:c1");
  }

  @Test
  void aContactsKeyGivesTheContactBackWhateverItsKeyHolds() {
    String key = StateKey.contact("ws_1", "user_id:a\u0000b");
    assertThat(StateKey.contactOf(key)).isEqualTo(new ContactId("ws_1", "user_id:a\u0000b"));
  }

  @Test
  void whatLiesBelowAKeyIsTheRestAfterItsSeparator() {
    String contact = StateKey.contact("ws_1", "user_id:u1");
    assertThat(StateKey.below(StateKey.of(contact, "viewed-page"), contact))
        .isEqualTo("viewed-page");
    assertThat(StateKey.below(StateKey.contact("ws_1", "user_id:u10"), contact)).isNull();
  }
}
