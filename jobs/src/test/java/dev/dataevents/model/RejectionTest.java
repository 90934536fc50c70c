package dev.dataevents.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one internal_error rejection of every stage: the job goes on, the report adds up. */
class RejectionTest {
  @Test
  void aRecordThatMadeTheCodeThrowIsRejectedInternalError() {
    Rejection r =
        Rejection.internalError(
            "java.lang.IllegalStateException: boom", "a.jsonl", InputPosition.of(2, 7), "{}");

    assertThat(r)
        .isEqualTo(
            new Rejection(
                InputPosition.of(2, 7),
                500,
                "internal_error",
                null,
                "the record could not be processed: java.lang.IllegalStateException: boom",
                "a.jsonl",
                7,
                "{}"));
  }

  @Test
  void itsMessageIsWellFormedAndARunThatKeptNoLineShowsAnEmptyOne() {
    Rejection r = Rejection.internalError("bad \uD800 text", "a.jsonl", 1, null);

    assertThat(r.message()).isEqualTo("the record could not be processed: bad \uFFFD text");
    assertThat(r.raw()).isEmpty();
  }
}
