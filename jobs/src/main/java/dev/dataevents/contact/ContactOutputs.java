package dev.dataevents.contact;

import dev.dataevents.model.Rejection;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.OutputTag;

/**
 * The side outputs of a keyed contact function, bounded or streaming; its main output is accepted
 * events.
 */
public final class ContactOutputs {
  public static final OutputTag<String> SUMMARIES = new OutputTag<>("summaries", Types.STRING);
  public static final OutputTag<String> LISTINGS = new OutputTag<>("listings", Types.STRING);
  public static final OutputTag<String> DUPLICATES = new OutputTag<>("duplicates", Types.STRING);

  /** Records the keyed stage rejects (a stream's {@code outside_dedup_horizon}). */
  public static final OutputTag<Rejection> REJECTED =
      new OutputTag<>("contact-rejected", TypeInformation.of(Rejection.class));

  private ContactOutputs() {}
}
