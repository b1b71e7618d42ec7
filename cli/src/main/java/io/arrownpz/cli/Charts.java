package io.arrownpz.cli;

import io.arrownpz.internal.io.AtomicFile;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Bar charts of a head-to-head, as in the StaticFrame article's figures: one chart per measure (write
 * time, first read, read again, size), one group of bars per input, one bar per format. Drawn by XChart,
 * headless. Times are on a logarithmic axis, so that one slow bar (a 10,000-column NPY directory written
 * in seconds) leaves the others readable; each title says what a bar is: a median of how many runs, and
 * whether the read is a file's first (cold) or its second through a cache of mappings (warm).
 */
final class Charts {
  static final int WIDTH = 1200;
  static final int HEIGHT = 600;

  private Charts() {}

  /**
   * Writes write.png, read.png, reread.png and size.png into {@code dir} for results that are medians of
   * {@code runs} runs; returns their paths.
   */
  static List<Path> write(List<Measurement> results, int runs, Path dir) throws IOException {
    System.setProperty("java.awt.headless", "true");
    String bar = runs == 1 ? "one run a bar" : "a bar is the median of " + runs + " runs";
    List<Path> files = new ArrayList<>();
    files.add(chart(results, dir, "write", "Write (" + bar + ")", "ms, log scale", true, Measurement::writeMs));
    files.add(chart(results, dir, "read", "First read of a file just written, every value touched: cold (" + bar
        + ")", "ms, log scale", true, Measurement::readMs));
    files.add(chart(results, dir, "reread", "The same file read again through a cache of mappings: warm (" + bar
        + ")", "ms, log scale", true, Measurement::rereadMs));
    files.add(chart(results, dir, "size", "Size on disk", "MiB", false, m -> m.bytes() / (1024.0 * 1024.0)));
    return files;
  }

  private static Path chart(List<Measurement> results, Path dir, String name, String title, String unit,
      boolean logarithmic, ToDoubleFunction<Measurement> value) throws IOException {
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
        .xAxisTitle("frame").yAxisTitle(unit).build();
    chart.getStyler().setYAxisLogarithmic(logarithmic);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setAvailableSpaceFill(0.9);
    chart.getStyler().setXAxisLabelRotation(20);
    Map<String, List<Measurement>> byInput = ResultTable.byInput(results);
    List<String> inputs = new ArrayList<>(byInput.keySet());
    for (Contender format : Contender.all()) {
      List<Double> values = new ArrayList<>();
      boolean any = false;
      for (String input : inputs) {
        Measurement m = byInput.get(input).stream().filter(x -> x.format() == format).findFirst().orElse(null);
        boolean ok = m != null && m.ok();
        any |= ok;
        // A format that could not hold an input has no bar (a log axis has no zero).
        values.add(ok && value.applyAsDouble(m) > 0 ? value.applyAsDouble(m) : null);
      }
      if (any) {
        chart.addSeries(format.label, inputs, values);
      }
    }
    if (logarithmic) {
      // Bars start from the axis' minimum, which a log axis cannot put at zero: the power of ten below the
      // smallest bar.
      double smallest = chart.getSeriesMap().values().stream().flatMap(series -> series.getYData().stream())
          .filter(v -> v != null && v.doubleValue() > 0).mapToDouble(Number::doubleValue).min().orElse(1);
      chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(smallest))));
    }
    Path file = dir.resolve(name + ".png");
    try (AtomicFile out = AtomicFile.create(file)) {
      BitmapEncoder.saveBitmap(chart, Channels.newOutputStream(out.channel()), BitmapEncoder.BitmapFormat.PNG);
      out.commit();
    }
    return file;
  }
}
