package dev.dataevents.contact;

import dev.dataevents.model.ContactKey;
import dev.dataevents.model.DirectoryEntry;
import dev.dataevents.model.InputPosition;
import dev.dataevents.model.RecordFaults;
import dev.dataevents.model.Rejection;
import dev.dataevents.output.RecordJson;
import dev.dataevents.reporting.CheckpointedCounts;
import dev.dataevents.reporting.Counters;
import dev.dataevents.reporting.CountingFunction;
import dev.dataevents.reporting.RunCounter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one directory entry per (workspace, id) and indexes it under each of its identifiers for
 * the join. A later entry with the same workspace and id is a duplicate. Bounded runs keep the
 * entry with the smallest input position (emitted at end of input), streams the first to arrive.
 * Keyed by a hash of (workspace, id); entries whose hashes collide are kept apart by their id. An
 * entry that makes the code throw is rejected {@code internal_error}; the job goes on.
 */
public class DirectoryDedup extends KeyedProcessFunction<Long, DirectoryEntry, DirectoryEntry>
    implements CountingFunction {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryDedup.class);

  private final CheckpointedCounts counts = new CheckpointedCounts();

  @Override
  public CheckpointedCounts reportCounts() {
    return counts;
  }

  private final boolean bounded;
  private final boolean writeDuplicates;

  private transient MapState<String, DirectoryEntry> kept;
  private transient ListState<DirectoryEntry> losers;
  private transient RunCounter accepted;
  private transient RunCounter entries;
  private transient RunCounter duplicates;

  /**
   * @param bounded whether the input ends (BATCH): then the smallest position wins
   * @param writeDuplicates whether duplicate entries go to the duplicates output, at end of input
   *     (bounded runs only: a stream writes no duplicates)
   */
  public DirectoryDedup(boolean bounded, boolean writeDuplicates) {
    if (writeDuplicates && !bounded) {
      throw new IllegalArgumentException("a stream writes no duplicates");
    }
    this.bounded = bounded;
    this.writeDuplicates = writeDuplicates;
  }

  @Override
  public void open(OpenContext openContext) {
    kept =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "directory-kept", Types.STRING, TypeInformation.of(DirectoryEntry.class)));
    losers =
        getRuntimeContext()
            .getListState(
                new ListStateDescriptor<>(
                    "directory-duplicates", TypeInformation.of(DirectoryEntry.class)));
    accepted = counts.counter(Counters.ACCEPTED);
    entries = counts.counter(Counters.DIRECTORY_ENTRIES);
    duplicates = counts.counter(Counters.DUPLICATES);
  }

  @Override
  public void processElement(DirectoryEntry entry, Context ctx, Collector<DirectoryEntry> out)
      throws Exception {
    try {
      process(entry, ctx, out);
    } catch (RuntimeException e) {
      RecordFaults.rethrowIfNotTheRecords(e);
      reject(entry, e, ctx);
    }
  }

  /**
   * Keeps the first entry of its (workspace, id); in a stream, indexes it at once. What may fail
   * (indexing) comes before any change of state or count.
   */
  private void process(DirectoryEntry entry, Context ctx, Collector<DirectoryEntry> out)
      throws Exception {
    String key = keyOf(entry);
    DirectoryEntry previous = kept.get(key);
    if (previous != null) {
      DirectoryEntry loser = entry;
      if (bounded && entry.position() < previous.position()) {
        loser = previous;
        kept.put(key, entry);
      }
      if (writeDuplicates) {
        losers.add(loser);
      }
      duplicates.add(1);
      return;
    }
    if (bounded) {
      kept.put(key, entry);
      ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    } else {
      List<DirectoryEntry> copies = indexed(entry);
      kept.put(key, entry);
      emit(copies, out);
    }
  }

  private static String keyOf(DirectoryEntry entry) {
    return StateKey.of(entry.workspaceId(), entry.id());
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<DirectoryEntry> out)
      throws Exception {
    List<DirectoryEntry> winners = new ArrayList<>();
    kept.values().forEach(winners::add);
    winners.sort(Comparator.comparingLong(DirectoryEntry::position));
    for (DirectoryEntry entry : winners) {
      try {
        emit(indexed(entry), out);
      } catch (RuntimeException e) {
        RecordFaults.rethrowIfNotTheRecords(e);
        reject(entry, e, ctx);
      }
    }
    if (writeDuplicates) {
      List<DirectoryEntry> duplicateEntries = new ArrayList<>();
      losers.get().forEach(duplicateEntries::add);
      duplicateEntries.sort(Comparator.comparingLong(DirectoryEntry::position));
      for (DirectoryEntry loser : duplicateEntries) {
        DirectoryEntry winner = kept.get(keyOf(loser));
        try {
          ctx.output(ContactOutputs.DUPLICATES, duplicateJson(loser, winner));
        } catch (RuntimeException e) {
          RecordFaults.rethrowIfNotTheRecords(e);
          // Counted as a duplicate already; only its line in duplicates/ is missing.
          LOG.warn("could not write a duplicate directory entry: {}", e.toString());
        }
      }
      losers.clear();
    }
    kept.clear();
  }

  private static byte[] duplicateJson(DirectoryEntry loser, DirectoryEntry winner) {
    return RecordJson.duplicate(
        loser.source(),
        InputPosition.line(loser.position()),
        winner.source(),
        InputPosition.line(winner.position()),
        loser.raw());
  }

  /** The copies of an entry the join needs: one under each of its identifiers. */
  List<DirectoryEntry> indexed(DirectoryEntry entry) {
    List<DirectoryEntry> copies = new ArrayList<>(3);
    copies.add(entry.indexedAs(ContactKey.ofId(entry.id())));
    if (entry.userId() != null) {
      copies.add(entry.indexedAs(ContactKey.ofUserId(entry.userId())));
    }
    if (entry.email() != null) {
      copies.add(entry.indexedAs(ContactKey.ofEmail(entry.email())));
    }
    return copies;
  }

  private void emit(List<DirectoryEntry> copies, Collector<DirectoryEntry> out) {
    copies.forEach(out::collect);
    accepted.add(1);
    entries.add(1);
  }

  /** A directory line that made the code throw: rejected, never a failed job. */
  private static void reject(DirectoryEntry entry, RuntimeException e, Context ctx) {
    ctx.output(
        ContactOutputs.REJECTED,
        Rejection.internalError(String.valueOf(e), entry.source(), entry.position(), entry.raw()));
  }
}
