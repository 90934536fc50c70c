package dev.dataevents.job;

import org.apache.flink.configuration.BlobServerOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;

/**
 * Keeps the embedded mini-cluster's servers on this machine. Flink binds its REST endpoint and its
 * BLOB server to every interface unless told otherwise; neither asks who calls, and the REST
 * endpoint takes jobs (code) to run and cancellations, the BLOB server files. A backfill on a
 * laptop must not open them to the network it happens to be on. (The mini-cluster's RPC is
 * in-process and its TaskManager exchanges data in memory: they listen nowhere. A job collecting
 * its results serves them from a socket of its own.)
 */
public final class EmbeddedClusterNetwork {
  /** The address the embedded mini-cluster listens on. */
  public static final String LOOPBACK = "127.0.0.1";

  private EmbeddedClusterNetwork() {}

  /**
   * Binds the listening sockets of the embedded cluster that {@code config} configures to the
   * loopback address; returns {@code config}.
   */
  public static Configuration loopbackOnly(Configuration config) {
    config.set(RestOptions.BIND_ADDRESS, LOOPBACK);
    config.set(RestOptions.ADDRESS, "localhost");
    // The BLOB server binds to the JobManager's bind host. Jobs are submitted to it at the address
    // it is bound to; but the TaskManager's BLOB cache would call it at this host's name, which
    // need not be 127.0.0.1 (Debian names it 127.0.1.1). A local job ships no jars, and with
    // nothing offloaded (deployment information sent over the in-process RPC instead) the
    // TaskManager never needs the BLOB server.
    config.set(JobManagerOptions.BIND_HOST, LOOPBACK);
    config.set(BlobServerOptions.OFFLOAD_MINSIZE, Integer.MAX_VALUE);
    // A job that collects its results to the client (the report's checkpoint reader) serves them
    // from a socket that binds to the TaskManager's bind host, and the client calls the
    // TaskManager's host.
    config.set(TaskManagerOptions.BIND_HOST, LOOPBACK);
    config.set(TaskManagerOptions.HOST, LOOPBACK);
    return config;
  }
}
