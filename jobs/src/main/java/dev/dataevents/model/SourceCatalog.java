package dev.dataevents.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of a run, sorted by their source path. A file's index in this order stands for its path
 * in an input position, so comparing (index, line) compares (source path, line) as the contract's
 * "smallest input position wins" asks.
 */
public final class SourceCatalog implements SourceNaming {
  private static final long serialVersionUID = 1L;

  private final List<InputFile> files;
  private final Map<String, Integer> indexByPath = new HashMap<>();

  public SourceCatalog(List<InputFile> files) {
    this.files = List.copyOf(files);
    for (int i = 0; i < this.files.size(); i++) {
      indexByPath.put(java.net.URI.create(this.files.get(i).uri()).getPath(), i);
    }
  }

  public List<InputFile> files() {
    return files;
  }

  public InputFile get(int index) {
    return files.get(index);
  }

  /** The index of the file at this absolute path (the path part of its URI). */
  @Override
  public int indexOf(String path) {
    Integer index = indexByPath.get(path);
    if (index == null) {
      throw new IllegalArgumentException("not an input of this run: " + path);
    }
    return index;
  }

  public long totalBytes() {
    return files.stream().mapToLong(InputFile::size).sum();
  }

  public boolean isEmpty() {
    return files.isEmpty();
  }

  @Override
  public String sourceOf(String path) {
    return files.get(indexOf(path)).source();
  }

  @Override
  public SourceKind kindOf(String path) {
    return files.get(indexOf(path)).kind();
  }
}
