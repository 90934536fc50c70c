package dev.dataevents.bench;

/**
 * A child process with known costs: touches {@code args[0]} MiB of heap and keeps a core busy for
 * {@code args[1]} milliseconds of CPU time.
 */
public final class Burner {
  private Burner() {}

  public static void main(String[] args) {
    int mib = Integer.parseInt(args[0]);
    long cpuNanos = Long.parseLong(args[1]) * 1_000_000;
    byte[][] blocks = new byte[mib][];
    for (int i = 0; i < mib; i++) {
      blocks[i] = new byte[1 << 20];
      for (int j = 0; j < blocks[i].length; j += 4096) {
        blocks[i][j] = 1;
      }
    }
    var thread = java.lang.management.ManagementFactory.getThreadMXBean();
    long spins = 0;
    while (thread.getCurrentThreadCpuTime() < cpuNanos) {
      spins++;
    }
    System.out.println(blocks.length + " " + spins);
  }
}
