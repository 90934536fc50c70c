package dev.dataevents.contact;

import dev.dataevents.job.CheckpointedCounts;
import dev.dataevents.job.Counters;
import dev.dataevents.job.RunCounter;
import dev.dataevents.model.DirectoryEntry;
import dev.dataevents.model.InputPosition;
import dev.dataevents.output.RecordJson;
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
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps one directory entry per (workspace, id) and indexes it under each of its identifiers for
 * the join. A later entry with the same workspace and id is a duplicate. Bounded runs keep the
 * entry with the smallest input position (emitted at end of input), streams the first to arrive.
 * Keyed by a hash of (workspace, id); entries whose hashes collide are kept apart by their id.
 */
public class DirectoryDedup extends KeyedProcessFunction<Long, DirectoryEntry, DirectoryEntry>
    implements CheckpointedFunction {
  private static final long serialVersionUID = 1L;

  private transient CheckpointedCounts counts;

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    counts = CheckpointedCounts.restore(getRuntimeContext(), context, "directory");
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    counts.snapshot(context);
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
   * @param writeDuplicates whether duplicate entries go to the duplicates output
   */
  public DirectoryDedup(boolean bounded, boolean writeDuplicates) {
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
    String key = entry.workspaceId() + "\u0000" + entry.id();
    DirectoryEntry previous = kept.get(key);
    if (previous != null) {
      duplicates.add(1);
      DirectoryEntry loser = entry;
      if (bounded && entry.position() < previous.position()) {
        kept.put(key, entry);
        loser = previous;
      }
      if (writeDuplicates && bounded) {
        losers.add(loser);
      } else if (writeDuplicates) {
        ctx.output(ContactOutputs.DUPLICATES, duplicateJson(loser, previous));
      }
      return;
    }
    kept.put(key, entry);
    if (bounded) {
      ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    } else {
      emit(entry, out);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<DirectoryEntry> out)
      throws Exception {
    List<DirectoryEntry> winners = new ArrayList<>();
    kept.values().forEach(winners::add);
    for (DirectoryEntry entry : winners) {
      emit(entry, out);
    }
    if (writeDuplicates) {
      List<DirectoryEntry> duplicateEntries = new ArrayList<>();
      losers.get().forEach(duplicateEntries::add);
      duplicateEntries.sort(Comparator.comparingLong(DirectoryEntry::position));
      for (DirectoryEntry loser : duplicateEntries) {
        DirectoryEntry winner = kept.get(loser.workspaceId() + "\u0000" + loser.id());
        ctx.output(ContactOutputs.DUPLICATES, duplicateJson(loser, winner));
      }
      losers.clear();
    }
    kept.clear();
  }

  private static String duplicateJson(DirectoryEntry loser, DirectoryEntry winner) {
    return RecordJson.duplicate(
        loser.source(),
        InputPosition.line(loser.position()),
        winner.source(),
        InputPosition.line(winner.position()),
        loser.raw());
  }

  private void emit(DirectoryEntry entry, Collector<DirectoryEntry> out) {
    accepted.add(1);
    entries.add(1);
    out.collect(entry.indexedAs("id:" + entry.id()));
    if (entry.userId() != null) {
      out.collect(entry.indexedAs("user_id:" + entry.userId()));
    }
    if (entry.email() != null) {
      out.collect(entry.indexedAs("email:" + entry.email().toLowerCase(java.util.Locale.ROOT)));
    }
  }
}
