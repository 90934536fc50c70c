package dev.dataevents.contact;

import dev.dataevents.model.Rejection;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.OutputTag;

/**
 * The side outputs of the keyed stages: the contact functions (bounded or streaming, whose main
 * output is accepted events) and the contacts directory's dedup and join.
 */
public final class ContactOutputs {
  public static final OutputTag<String> SUMMARIES = new OutputTag<>("summaries", Types.STRING);
  public static final OutputTag<String> LISTINGS = new OutputTag<>("listings", Types.STRING);
  public static final OutputTag<String> DUPLICATES = new OutputTag<>("duplicates", Types.STRING);

  /**
   * Records a keyed stage rejects: {@code contact_not_found} and {@code lead_requires_id} (the
   * directory join), a stream's {@code outside_dedup_horizon}, and {@code internal_error} anywhere.
   */
  public static final OutputTag<Rejection> REJECTED =
      new OutputTag<>("contact-rejected", TypeInformation.of(Rejection.class));

  private ContactOutputs() {}
}
