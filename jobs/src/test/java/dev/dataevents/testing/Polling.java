package dev.dataevents.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for what a running job will have done: polled, with a deadline. */
public final class Polling {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private Polling() {}

  /**
   * Returns once {@code condition} holds; fails after a minute. A condition that reads a part file
   * being renamed under it does not hold yet.
   */
  public static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!holds(condition)) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static boolean holds(BooleanSupplier condition) {
    try {
      return condition.getAsBoolean();
    } catch (UncheckedIOException e) {
      return false;
    }
  }
}
