package dev.dataevents.contact;

import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.Identifiers;
import dev.dataevents.model.NameCounts;
import dev.dataevents.reporting.RunCounter;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * What the summaries of a stream key's contacts show, in keyed state: the counts per event name (of
 * any age) and the latest identifiers. Created in {@link StreamingContactFunction#open}.
 */
final class SummaryState {
  /** contact + name -> [count, first, last]. */
  private final MapState<String, long[]> counts;

  private final MapState<String, LatestIdentifiers> identifiers;

  /** Counts the contacts seen for the first time. */
  private final RunCounter contacts;

  SummaryState(RuntimeContext ctx, RunCounter contacts) {
    counts =
        ctx.getMapState(
            new MapStateDescriptor<>(
                "counts", Types.STRING, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    identifiers =
        ctx.getMapState(
            new MapStateDescriptor<>(
                "identifiers", Types.STRING, TypeInformation.of(LatestIdentifiers.class)));
    this.contacts = contacts;
  }

  /** Adds an accepted event {@code record} of {@code contact}, {@code event} its name's key. */
  void add(String contact, String event, ContactRecord record) throws Exception {
    long createdAt = record.createdAt();
    long[] count = counts.get(event);
    if (count == null) {
      count = NameCounts.empty();
    }
    NameCounts.add(count, 1, createdAt, createdAt);
    counts.put(event, count);
    LatestIdentifiers ids = identifiers.get(contact);
    if (ids == null) {
      contacts.add(1);
      ids = LatestIdentifiers.NONE;
    }
    identifiers.put(contact, ids.with(record));
  }

  /** The identifiers a snapshot of {@code contact} (which has an accepted event) shows. */
  Identifiers shown(String contact) throws Exception {
    return identifiers.get(contact).shown();
  }

  /** The counts of {@code contact}: name (in code point order) -> [count, first, last]. */
  Map<String, long[]> byName(String contact) throws Exception {
    Map<String, long[]> byName = new TreeMap<>(ContactResults.CODE_POINT_ORDER);
    for (Map.Entry<String, long[]> e : counts.entries()) {
      String name = StateKey.below(e.getKey(), contact);
      if (name != null) {
        byName.put(name, e.getValue());
      }
    }
    return byName;
  }
}
