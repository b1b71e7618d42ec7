package io.arrownpz.flight.internal;

import io.arrownpz.bridge.dataset.ChainedReader;
import io.arrownpz.flight.ServedDatasets;
import io.arrownpz.internal.io.Trees;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/** A catalog's datasets, each read whole: its parts in turn, as {@code get} would fetch its endpoints. */
public final class CatalogDatasets implements ServedDatasets {
  private final Catalog catalog;

  public CatalogDatasets(Catalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public List<String> names() throws IOException {
    List<String> names = new ArrayList<>();
    for (Dataset dataset : catalog.list(null)) {
      names.add(dataset.name());
    }
    return names;
  }

  @Override
  public Schema schema(String name) {
    return catalog.describe(catalog.find(checked(name))).schema();
  }

  /** A dataset's name as the listing spells it: relative, of plain components, no trailing slash. */
  private static String checked(String name) {
    if (!DatasetNames.check(List.of(name)).equals(name)) {
      throw new IllegalArgumentException(name + ": not a dataset's name as the service lists it");
    }
    return name;
  }

  @Override
  public long sizeOnDisk(String name) throws IOException {
    long bytes = 0;
    for (Dataset.Part part : catalog.find(checked(name)).parts()) {
      bytes += Trees.size(part.path());
    }
    return bytes;
  }

  @Override
  public ArrowReader open(String name, BufferAllocator allocator, int batchRows) throws IOException {
    Dataset dataset = catalog.find(checked(name));
    if (!dataset.isFolder()) {
      return catalog.openPart(dataset.parts().get(0), false, allocator, batchRows); // a file is its own schema
    }
    Schema schema = catalog.describe(dataset).schema(); // what every part must have
    List<ChainedReader.Part> parts = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Dataset.Part part : dataset.parts()) {
      boolean nullable = catalog.nullableAsPart(name, part);
      parts.add(() -> catalog.openPart(part, nullable, allocator, batchRows));
      names.add(part.name());
    }
    return new ChainedReader(name, names, parts, schema, allocator);
  }
}
