package dev.dataevents.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a run's time and allocation went, from a Java Flight Recording of it: the share of CPU
 * samples per thread (Flink names task threads after their operators), the methods most often on
 * the stack of the busiest threads, the allocation sites by bytes, and the GC pauses. Made for the
 * profile in docs/performance.md:
 *
 * <pre>
 * DATA_EVENTS_JAVA_OPTS="-Xmx... -XX:StartFlightRecording=filename=run.jfr,settings=profile" \
 *   bin/data-events backfill ...
 * bin/bench --profile-summary run.jfr [TOP]
 * </pre>
 */
public final class ProfileSummary {
  private static final Pattern NUMBERS = Pattern.compile("\\d+");

  private ProfileSummary() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: bin/bench --profile-summary RECORDING.jfr [TOP]");
      System.exit(2);
    }
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
    System.out.print(summarize(Path.of(args[0]), top));
  }

  static String summarize(Path recording, int top) throws IOException {
    Map<String, Integer> samplesByThread = new HashMap<>();
    Map<String, Map<String, Integer>> onStackByThread = new HashMap<>();
    Map<String, Double> allocatedBySite = new HashMap<>();
    int samples = 0;
    double allocated = 0;
    double pauseMillis = 0;
    int collections = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
      switch (event.getEventType().getName()) {
        case "jdk.ExecutionSample" -> {
          samples++;
          String thread = threadGroup(event.getThread("sampledThread").getJavaName());
          samplesByThread.merge(thread, 1, Integer::sum);
          Map<String, Integer> onStack =
              onStackByThread.computeIfAbsent(thread, t -> new HashMap<>());
          Set<String> seen = new HashSet<>();
          for (RecordedFrame frame : frames(event.getStackTrace())) {
            String method = method(frame);
            if (seen.add(method)) {
              onStack.merge(method, 1, Integer::sum);
            }
          }
        }
        case "jdk.ObjectAllocationSample" -> {
          double weight = event.getLong("weight");
          allocated += weight;
          String type = event.getClass("objectClass").getName();
          String site = firstProjectFrame(event.getStackTrace());
          allocatedBySite.merge(site + "  " + simpleName(type), weight, Double::sum);
        }
        case "jdk.GarbageCollection" -> {
          collections++;
          pauseMillis += event.getDuration("sumOfPauses").toNanos() / 1e6;
        }
        default -> {}
      }
    }
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "CPU samples: %,d%n", samples));
    List<Map.Entry<String, Integer>> threads = sortedByValue(samplesByThread);
    for (Map.Entry<String, Integer> t : threads.subList(0, Math.min(10, threads.size()))) {
      out.append(
          String.format(Locale.ROOT, "%6.1f%%  %s%n", percent(t.getValue(), samples), t.getKey()));
    }
    for (Map.Entry<String, Integer> t : threads.subList(0, Math.min(3, threads.size()))) {
      out.append(
          String.format(Locale.ROOT, "%nOn the stack of %s (%% of its samples):%n", t.getKey()));
      List<Map.Entry<String, Integer>> methods =
          sortedByValue(onStackByThread.get(t.getKey())).stream()
              // The thread's own loop (on nearly every sample) says nothing.
              .filter(m -> m.getValue() < 0.95 * t.getValue())
              .limit(top)
              .toList();
      for (Map.Entry<String, Integer> m : methods) {
        out.append(
            String.format(
                Locale.ROOT, "%6.1f%%  %s%n", percent(m.getValue(), t.getValue()), m.getKey()));
      }
    }
    out.append(
        String.format(Locale.ROOT, "%nAllocated (sampled estimate): %.2f GB%n", allocated / 1e9));
    List<Map.Entry<String, Double>> sites = new ArrayList<>(allocatedBySite.entrySet());
    sites.sort(Map.Entry.<String, Double>comparingByValue().reversed());
    for (Map.Entry<String, Double> s : sites.subList(0, Math.min(top, sites.size()))) {
      out.append(String.format(Locale.ROOT, "%7.2f GB  %s%n", s.getValue() / 1e9, s.getKey()));
    }
    out.append(
        String.format(
            Locale.ROOT, "%nGC: %d collections, %.0f ms of pauses%n", collections, pauseMillis));
    return out.toString();
  }

  /** Subtasks of one operator are one group: "parse-and-validate (2/2)#0" counts as its kind. */
  private static String threadGroup(String name) {
    String group = NUMBERS.matcher(name == null ? "?" : name).replaceAll("N");
    return group.length() > 70 ? group.substring(0, 70) : group;
  }

  private static List<RecordedFrame> frames(RecordedStackTrace trace) {
    return trace == null ? List.of() : trace.getFrames();
  }

  private static String method(RecordedFrame frame) {
    String type = frame.getMethod().getType().getName();
    return simpleName(type) + "." + frame.getMethod().getName();
  }

  private static String firstProjectFrame(RecordedStackTrace trace) {
    List<RecordedFrame> frames = frames(trace);
    for (RecordedFrame frame : frames) {
      if (frame.getMethod().getType().getName().startsWith("dev.dataevents.")) {
        return method(frame);
      }
    }
    return frames.isEmpty() ? "?" : method(frames.get(0));
  }

  private static String simpleName(String type) {
    return type.substring(type.lastIndexOf('.') + 1);
  }

  private static double percent(long part, long whole) {
    return whole == 0 ? 0 : 100.0 * part / whole;
  }

  private static List<Map.Entry<String, Integer>> sortedByValue(Map<String, Integer> counts) {
    List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
    sorted.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()));
    return sorted;
  }
}
