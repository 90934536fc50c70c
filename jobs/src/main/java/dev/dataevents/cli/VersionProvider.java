package dev.dataevents.cli;

import picocli.CommandLine;

/** The version from the jar's manifest (shown by {@code --version}). */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Main.class.getPackage().getImplementationVersion();
    return new String[] {"data-events " + (version == null ? "(development build)" : version)};
  }
}
