package dev.dataevents.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The contact key: its form is kept in records and state, so it is pinned here. */
class ContactKeyTest {
  @Test
  void aContactIsKeyedByUserIdElseIdElseItsLowerCasedEmail() {
    assertThat(ContactKey.of("314159", "c-1", "Jane@Example.org")).isEqualTo("user_id:314159");
    assertThat(ContactKey.of(null, "c-1", "Jane@Example.org")).isEqualTo("id:c-1");
    assertThat(ContactKey.of(null, null, "Jane@Example.org")).isEqualTo("email:jane@example.org");
  }

  @Test
  void eachIdentifierHasItsOwnKey() {
    assertThat(ContactKey.ofUserId("U-1")).isEqualTo("user_id:U-1");
    assertThat(ContactKey.ofId("C-1")).isEqualTo("id:C-1");
    assertThat(ContactKey.ofEmail("ÉLAN@EXAMPLE.ORG")).isEqualTo("email:élan@example.org");
  }

  @Test
  void onlyAKeyByIdIsById() {
    assertThat(ContactKey.isById(ContactKey.ofId("u"))).isTrue();
    assertThat(ContactKey.isById(ContactKey.ofUserId("id:u"))).isFalse();
    assertThat(ContactKey.isById(ContactKey.ofEmail("id:u@example.org"))).isFalse();
  }
}
