package dev.dataevents.bench.jmh;

import dev.dataevents.bench.ExportGenerator;
import dev.dataevents.model.ContactRecord;
import java.util.ArrayList;
import java.util.List;

/** The input lines and records the JMH benchmarks run on: fixed, so runs compare. */
public final class BenchLines {
  /** The smallest useful event: no metadata. */
  public static final String SMALL =
      "{\"workspace_id\":\"ws_1\",\"event_name\":\"viewed-page\",\"created_at\":1793404800,"
          + "\"user_id\":\"u0001234\"}";

  /**
   * 12 metadata keys of every type (Date, String, Rich Link, Monetary Amount, Link, Number as an
   * integer and a float, non-ASCII text, escapes): 10 kept, 2 dropped.
   */
  public static final String RICH =
      "{\"workspace_id\":\"ws_1\",\"event_name\":\"Placed.Order\",\"created_at\":1793404800,"
          + "\"user_id\":\"u0001234\",\"email\":\"Ada@Example.com\",\"metadata\":{"
          + "\"order_date\":1793400000,\"stripe_invoice\":\"inv_3434343434\","
          + "\"order_number\":{\"value\":\"3434-3434\",\"url\":\"https://example.org/orders/3434\"},"
          + "\"price\":{\"currency\":\"usd\",\"amount\":2999},"
          + "\"article\":\"https://example.org/articles/42\",\"items\":3,\"weight\":1.25,"
          + "\"city\":\"東京\",\"note\":\"quote \\\"inside\\\" and back\\\\slash\","
          + "\"campaign\":\"café 🚀\",\"renewal_date\":1795000000,"
          + "\"discount\":{\"amount\":500,\"currency\":\"EUR\"}}}";

  /** Cut short: rejected {@code invalid_json} by the parser. */
  public static final String INVALID_JSON =
      "{\"workspace_id\":\"ws_1\",\"event_name\":\"viewed-page\",\"created_at\":17934";

  /**
   * {@link #RICH} with its last kept metadata value a boolean: rejected {@code
   * invalid_metadata_value} after every other rule was checked, the costliest bad line.
   */
  public static final String INVALID_METADATA_VALUE =
      RICH.replace("\"campaign\":\"café 🚀\"", "\"campaign\":true");

  private BenchLines() {}

  /** A line by its {@code @Param} name. */
  public static String named(String name) {
    return switch (name) {
      case "small" -> SMALL;
      case "rich" -> RICH;
      case "invalid_json" -> INVALID_JSON;
      case "invalid_metadata_value" -> INVALID_METADATA_VALUE;
      default -> throw new IllegalArgumentException("no line named " + name);
    };
  }

  /** The 20 most frequent names of the generator. */
  private static final String[] NAMES = java.util.Arrays.copyOf(ExportGenerator.eventNames(), 20);

  /**
   * One contact's accepted records as they reach the keyed function: {@code events} events of 20
   * names over the 400 days before {@link HotPaths#AS_OF} (about a fifth of them in the 90-day
   * listing), every other one with metadata, one in twenty repeating an earlier identity.
   */
  public static List<ContactRecord> contact(int events) {
    List<ContactRecord> records = new ArrayList<>(events);
    long step = 400L * 86_400 / events;
    for (int i = 0; i < events; i++) {
      // A duplicate repeats the identity of the event five lines before.
      int event = i % 20 == 19 ? i - 5 : i;
      long createdAt = HotPaths.AS_OF - 1 - event * step;
      String line =
          "{\"workspace_id\":\"ws_1\",\"event_name\":\""
              // Shifted every 20 lines, so that the kept events have every name.
              + NAMES[(event + event / 20) % NAMES.length]
              + "\",\"created_at\":"
              + createdAt
              + ",\"user_id\":\"u0001234\""
              + (i % 2 == 0
                  ? ",\"metadata\":{\"source\":\"web\",\"items\":"
                      + i
                      + ",\"article\":\"https://example.org/a/"
                      + i
                      + "\",\"price\":{\"amount\":"
                      + i * 100
                      + ",\"currency\":\"eur\"}}"
                  : "")
              + "}";
      records.add(HotPaths.accepted(line, i + 1));
    }
    return records;
  }

  /** {@link #contact} without its duplicates: what the contact's outputs are rendered from. */
  public static List<ContactRecord> keptOfContact(int events) {
    List<ContactRecord> all = contact(events);
    List<ContactRecord> kept = new ArrayList<>(all.size());
    for (int i = 0; i < all.size(); i++) {
      if (i % 20 != 19) {
        kept.add(all.get(i));
      }
    }
    return kept;
  }
}
