package dev.dataevents.contact;

import dev.dataevents.model.ListedEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.BasicArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;

/**
 * The events a stream keeps of a key, in keyed state by {@code created_at}: the dedup set, the
 * listing, and the per-hour index through which each hour's expiry timer removes exactly that
 * hour's entries. Every listed event is in the dedup set too, so the index holds every second
 * either holds. Created in {@link StreamingContactFunction#open}.
 */
final class EventsByCreatedAt {
  /** What is done with the listed events of one second: they leave, or aged out of, the listing. */
  @FunctionalInterface
  interface ListedAction {
    void accept(long createdAt, ListedEvent[] events) throws Exception;
  }

  private final ExpiryTimers timers;

  /** created_at -> the events (contact and name) accepted with it, within the dedup horizon. */
  private final MapState<Long, String[]> seen;

  /** created_at -> the events with it that listing pages show, until their hour expires. */
  private final MapState<Long, ListedEvent[]> listed;

  /**
   * Hour of created_at -> the created_at values of that hour that {@code seen} or {@code listed}
   * hold, sorted.
   */
  private final MapState<Long, long[]> hours;

  /**
   * The created_at up to which listed events were handed on as aged out ({@link #forEachAgedOut}),
   * while the listing holds any.
   */
  private final ValueState<Long> agedOutUpTo;

  /**
   * The dedup horizon (seconds) for which every hour's dedup expiry timer is set, while the index
   * holds any hour; null until the key's first timer ({@link #dedupTimersForThisHorizon}), and
   * again once an hour is added under another horizon.
   */
  private final ValueState<Long> timersHorizon;

  EventsByCreatedAt(RuntimeContext ctx, ExpiryTimers timers) {
    this.timers = timers;
    // New names for the created_at-keyed layout: a checkpoint of the earlier per-identity layout
    // restores without clashing types.
    seen =
        ctx.getMapState(
            new MapStateDescriptor<>(
                "seen-by-created-at", Types.LONG, BasicArrayTypeInfo.STRING_ARRAY_TYPE_INFO));
    listed =
        ctx.getMapState(
            new MapStateDescriptor<>(
                "listed-by-created-at",
                Types.LONG,
                Types.OBJECT_ARRAY(TypeInformation.of(ListedEvent.class))));
    hours =
        ctx.getMapState(
            new MapStateDescriptor<>(
                "expiry-hours", Types.LONG, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    agedOutUpTo = ctx.getState(new ValueStateDescriptor<>("aged-out-up-to", Types.LONG));
    timersHorizon = ctx.getState(new ValueStateDescriptor<>("dedup-timers-horizon", Types.LONG));
  }

  /** The events (contact and name) accepted with {@code createdAt}, or null when none was. */
  String[] seen(long createdAt) throws Exception {
    return seen.get(createdAt);
  }

  /**
   * Adds {@code event} to the dedup set until its hour's dedup expiry; {@code sameSecond} is what
   * {@link #seen} returned for its {@code createdAt}.
   */
  void keep(long createdAt, String[] sameSecond, String event, TimerService timerService)
      throws Exception {
    seen.put(createdAt, append(sameSecond, event, String[]::new));
    long hour = ExpiryTimers.hourOf(createdAt);
    index(hour, createdAt);
    timerService.registerProcessingTimeTimer(timers.dedupExpiry(hour));
  }

  /**
   * Adds an event just {@link #keep kept} (whose second the index holds) to the listing, until its
   * hour's listing expiry, with a timer for when it ages out.
   */
  void list(ListedEvent event, TimerService timerService) throws Exception {
    long createdAt = event.createdAt();
    listed.put(createdAt, append(listed.get(createdAt), event, ListedEvent[]::new));
    timerService.registerProcessingTimeTimer(timers.listingExpiry(ExpiryTimers.hourOf(createdAt)));
    timerService.registerProcessingTimeTimer(timers.agedOut(createdAt));
  }

  private static <T> T[] append(T[] array, T element, IntFunction<T[]> newArray) {
    T[] grown = array == null ? newArray.apply(1) : Arrays.copyOf(array, array.length + 1);
    grown[grown.length - 1] = element;
    return grown;
  }

  /** Notes that {@code hour} holds entries at {@code createdAt}, for its expiry timers. */
  private void index(long hour, long createdAt) throws Exception {
    long[] seconds = hours.get(hour);
    if (seconds == null) {
      hours.put(hour, new long[] {createdAt});
      Long horizon = timersHorizon.value();
      if (horizon != null && horizon != timers.dedupHorizonSeconds()) {
        // Its timer is this run's, the others' another's: no longer one horizon for them all.
        timersHorizon.clear();
      }
      return;
    }
    int at = Arrays.binarySearch(seconds, createdAt);
    if (at < 0) {
      int insert = -at - 1;
      long[] grown = new long[seconds.length + 1];
      System.arraycopy(seconds, 0, grown, 0, insert);
      grown[insert] = createdAt;
      System.arraycopy(seconds, insert, grown, insert + 1, seconds.length - insert);
      hours.put(hour, grown);
    }
  }

  /**
   * What a listing at {@code nowSeconds} shows of {@code contact}, newest first. It filters by that
   * time, so an event of 90 days or more is never shown while its hour waits for its timer.
   */
  List<ListedEvent> listing(String contact, long nowSeconds) throws Exception {
    List<ListedEvent> events = new ArrayList<>();
    for (ListedEvent[] sameSecond : listed.values()) {
      for (ListedEvent e : sameSecond) {
        if (ContactResults.isListed(e.createdAt(), nowSeconds)
            && contact.equals(StateKey.contact(e.workspaceId(), e.contactKey()))) {
          events.add(e);
        }
      }
    }
    events.sort(ContactResults.NEWEST_FIRST);
    return events;
  }

  /**
   * The listed events that aged out since the last call, up to {@code created_at} {@code last}, to
   * {@code action}; they stay in state until their hour's expiry. Exact whatever the steps of the
   * aged-out timers: a stream resumed with another emit interval still has the old steps' timers.
   * Events of hours before {@code last}'s have left the listing by then (each hour's listing expiry
   * comes before the aged-out time of any later second), so the first call looks back to the start
   * of {@code last}'s hour at most: what it hands on again, a contact's snapshot has shown gone
   * already, which the action checks.
   */
  void forEachAgedOut(long last, ListedAction action) throws Exception {
    Long upTo = agedOutUpTo.value();
    long first = ExpiryTimers.hourOf(last) * ExpiryTimers.BUCKET_SECONDS;
    if (upTo != null) {
      first = Math.max(first, upTo + 1);
    }
    if (first > last) {
      return;
    }
    for (long hour = ExpiryTimers.hourOf(first); hour <= ExpiryTimers.hourOf(last); hour++) {
      long[] seconds = hours.get(hour);
      if (seconds == null) {
        continue;
      }
      for (long createdAt : seconds) {
        if (createdAt < first || createdAt > last) {
          continue;
        }
        ListedEvent[] events = listed.get(createdAt);
        if (events != null) {
          action.accept(createdAt, events);
        }
      }
    }
    // Kept only while there is a listing: an emit timer may carry the aged-out mark (its time is
    // the clock's plus an interval) for a key whose events are all older than the listing window.
    if (!listed.isEmpty()) {
      agedOutUpTo.update(last);
    } else if (upTo != null) {
      agedOutUpTo.clear();
    }
  }

  /**
   * Drops an hour's events from the listing, each second's to {@code beforeRemoval} first (which
   * sees them while they are still in state).
   */
  void expireListing(long hour, ListedAction beforeRemoval) throws Exception {
    long[] seconds = hours.get(hour);
    if (seconds == null) {
      return;
    }
    for (long createdAt : seconds) {
      ListedEvent[] events = listed.get(createdAt);
      if (events == null) {
        continue;
      }
      beforeRemoval.accept(createdAt, events);
      listed.remove(createdAt);
    }
    forgetExpired(hour, seconds);
    if (listed.isEmpty()) {
      agedOutUpTo.clear(); // a contact's state shrinks back to its summary
    }
  }

  /**
   * Sees that every hour's dedup expiry timer is set for this run's horizon. A timer fires at the
   * time it was set for: after a restore with another {@code --dedup-horizon}, those of the old one
   * would name no hour, or another, and the hours whose events no longer come would stay for good.
   * So the first timer of a key after such a restore (or its first timer ever, or the first after a
   * restore of a checkpoint without this state) sets each hour's timer again, and expires the hours
   * already due. Then the key's timers fire as set.
   */
  void dedupTimersForThisHorizon(long now, TimerService timerService) throws Exception {
    Long horizon = timersHorizon.value();
    if (horizon != null && horizon == timers.dedupHorizonSeconds()) {
      return;
    }
    List<Long> held = new ArrayList<>();
    for (Long hour : hours.keys()) {
      held.add(hour);
    }
    for (long hour : held) {
      long expiry = timers.dedupExpiry(hour);
      if (expiry <= now) {
        expireDedup(hour);
      } else {
        timerService.registerProcessingTimeTimer(expiry); // one per time: set again, it is one
      }
    }
    if (hours.isEmpty()) {
      timersHorizon.clear();
    } else {
      timersHorizon.update(timers.dedupHorizonSeconds());
    }
  }

  /** Drops an hour's identities: events of that hour are now rejected before dedup. */
  void expireDedup(long hour) throws Exception {
    long[] seconds = hours.get(hour);
    if (seconds == null) {
      return;
    }
    for (long createdAt : seconds) {
      seen.remove(createdAt);
    }
    forgetExpired(hour, seconds);
  }

  /** Keeps in the hour's index only the seconds that still hold entries. */
  private void forgetExpired(long hour, long[] seconds) throws Exception {
    long[] left =
        Arrays.stream(seconds).filter(s -> contains(seen, s) || contains(listed, s)).toArray();
    if (left.length == 0) {
      hours.remove(hour);
      if (hours.isEmpty()) {
        timersHorizon.clear(); // the key's next entries set their timers afresh
      }
    } else if (left.length < seconds.length) {
      hours.put(hour, left);
    }
  }

  private static boolean contains(MapState<Long, ?> state, long key) {
    try {
      return state.contains(key);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
