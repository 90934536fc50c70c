package dev.dataevents.io.socket;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * Hands the one split to the first reader that registers, and again to a reader after a failure
 * gave it back. Never signals "no more splits": a socket source runs until it is stopped.
 */
final class SocketEnumerator implements SplitEnumerator<SocketSplit, List<SocketSplit>> {
  private final SplitEnumeratorContext<SocketSplit> context;
  private final List<SocketSplit> unassigned;

  /**
   * @param unassigned the splits no reader holds: the fresh split at the first start, those of a
   *     checkpoint at a restore (none when a reader's state holds it)
   */
  SocketEnumerator(SplitEnumeratorContext<SocketSplit> context, List<SocketSplit> unassigned) {
    this.context = context;
    this.unassigned = new ArrayList<>(unassigned);
  }

  @Override
  public void start() {}

  @Override
  public void handleSplitRequest(int subtaskId, String requesterHostname) {
    assignPending();
  }

  @Override
  public void addSplitsBack(List<SocketSplit> splits, int subtaskId) {
    unassigned.addAll(splits);
    assignPending();
  }

  @Override
  public void addReader(int subtaskId) {
    assignPending();
  }

  private void assignPending() {
    if (unassigned.isEmpty()) {
      return;
    }
    context.registeredReaders().keySet().stream()
        .min(Integer::compare)
        .ifPresent(
            reader -> {
              unassigned.forEach(split -> context.assignSplit(split, reader));
              unassigned.clear();
            });
  }

  @Override
  public List<SocketSplit> snapshotState(long checkpointId) {
    return new ArrayList<>(unassigned);
  }

  @Override
  public void close() {}
}
