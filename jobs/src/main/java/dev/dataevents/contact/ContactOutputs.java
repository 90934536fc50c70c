package dev.dataevents.contact;

import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.ContactState;
import dev.dataevents.model.Rejection;
import dev.dataevents.output.OutputLine;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/**
 * The side outputs of the keyed stages: the contact functions (bounded or streaming, whose main
 * output is accepted events) and the contacts directory's dedup and join.
 */
public final class ContactOutputs {
  public static final OutputTag<byte[]> SUMMARIES = new OutputTag<>("summaries", OutputLine.TYPE);
  public static final OutputTag<byte[]> LISTINGS = new OutputTag<>("listings", OutputLine.TYPE);
  public static final OutputTag<byte[]> DUPLICATES = new OutputTag<>("duplicates", OutputLine.TYPE);

  /**
   * A contact's whole state for a database, alongside its summary and listing lines; emitted only
   * by contact functions asked to ({@code withContactStates()}).
   */
  public static final OutputTag<ContactState> STATES =
      new OutputTag<>("contact-states", TypeInformation.of(ContactState.class));

  /**
   * Records a keyed stage rejects: {@code contact_not_found} and {@code lead_requires_id} (the
   * directory join), a stream's {@code outside_dedup_horizon}, and {@code internal_error} anywhere.
   */
  public static final OutputTag<Rejection> REJECTED =
      new OutputTag<>("contact-rejected", TypeInformation.of(Rejection.class));

  private ContactOutputs() {}

  /**
   * The {@code internal_error} rejection of a record that made a keyed stage throw: one record must
   * never fail the job (a restart would meet it again, in a loop).
   */
  static Rejection internalError(ContactRecord record, RuntimeException e) {
    return Rejection.internalError(
        String.valueOf(e), record.source(), record.position(), record.raw());
  }
}
