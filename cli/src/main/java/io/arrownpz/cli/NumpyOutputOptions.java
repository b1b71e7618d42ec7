package io.arrownpz.cli;

import io.arrownpz.bridge.ConvertOptions;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The choices a NumPy output takes, the same wherever a command writes one (convert, get, pack, unpack). */
final class NumpyOutputOptions {
  @Option(names = "--column", paramLabel = "NAME", description = "For .npy output: the column to write.")
  String column;

  @CommandLine.Mixin NumpyValueOptions values;

  /** {@code options} with these choices. */
  ConvertOptions applyTo(ConvertOptions options) {
    return values.applyTo(options.withColumn(column));
  }
}
