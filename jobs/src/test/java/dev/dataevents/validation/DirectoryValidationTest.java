package dev.dataevents.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dataevents.model.DirectoryEntry;
import dev.dataevents.model.RejectionReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The contacts directory's line rules: every failure is invalid_contact with no field. */
class DirectoryValidationTest {
  private final RecordValidator validator =
      new RecordValidator(new ValidationSettings("default", 1_793_491_200L, 86_400, 10));

  private DirectoryEntry entry(String line) throws RecordRejectedException {
    return validator.directoryEntry(line, 7, "contacts.jsonl", null);
  }

  @Test
  void aFullEntry() throws Exception {
    DirectoryEntry e =
        entry(
            "{\"workspace_id\":\"ws_1\",\"id\":\"c1\",\"user_id\":42,\"email\":\"A@b.example\",\"role\":\"lead\"}");
    assertThat(e.workspaceId()).isEqualTo("ws_1");
    assertThat(e.id()).isEqualTo("c1");
    assertThat(e.userId()).isEqualTo("42");
    assertThat(e.email()).isEqualTo("A@b.example");
    assertThat(e.lead()).isTrue();
    assertThat(e.position()).isEqualTo(7);
  }

  @Test
  void roleDefaultsToUserAndWorkspaceToTheDefault() throws Exception {
    DirectoryEntry e = entry("{\"id\":\"c1\",\"role\":null}");
    assertThat(e.lead()).isFalse();
    assertThat(e.workspaceId()).isEqualTo("default");
    assertThat(e.userId()).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"id\":\"c1\"",
        "[\"c1\"]",
        "{\"id\":\"c1\",\"id\":\"c2\"}",
        "{\"workspace_id\":\"ws 1\",\"id\":\"c1\"}",
        "{\"user_id\":\"u1\"}",
        "{\"id\":null,\"user_id\":\"u1\"}",
        "{\"id\":42}",
        "{\"id\":\"\"}",
        "{\"id\":\"c1\",\"email\":\"no-at-sign\"}",
        "{\"id\":\"c1\",\"user_id\":true}",
        "{\"id\":\"c1\",\"role\":\"admin\"}",
        "{\"id\":\"c1\",\"role\":\"Lead\"}",
        "{\"id\":\"c1\",\"role\":1}"
      })
  void badLinesAreInvalidContact(String line) {
    assertThatThrownBy(() -> entry(line))
        .isInstanceOfSatisfying(
            RecordRejectedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(RejectionReason.INVALID_CONTACT);
              assertThat(e.field()).isNull();
              assertThat(e.getMessage()).isNotBlank();
            });
  }
}
