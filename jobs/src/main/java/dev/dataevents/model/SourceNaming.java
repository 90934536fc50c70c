package dev.dataevents.model;

import java.io.Serializable;

/** How the reader names the file it reads: index, name shown to users, and what its lines are. */
public interface SourceNaming extends Serializable {
  /** The file's index for input positions (its place in path order, where files are known). */
  int indexOf(String path);

  /** The file as users name it in rejections ({@code source}). */
  String sourceOf(String path);

  /** What the file's lines are. */
  SourceKind kindOf(String path);
}
