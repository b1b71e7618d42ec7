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
 * time, read time, size), one group of bars per input, one bar per format. Drawn by XChart, headless.
 */
final class Charts {
  static final int WIDTH = 1200;
  static final int HEIGHT = 600;

  private Charts() {}

  /** Writes write.png, read.png and size.png into {@code dir}; returns their paths. */
  static List<Path> write(List<Measurement> results, Path dir) throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<Path> files = new ArrayList<>();
    files.add(chart(results, dir, "write", "Write time (ms)", Measurement::writeMs));
    files.add(chart(results, dir, "read", "Read time, every value touched (ms)", Measurement::readMs));
    files.add(chart(results, dir, "size", "Size on disk (MiB)", m -> m.bytes() / (1024.0 * 1024.0)));
    return files;
  }

  private static Path chart(List<Measurement> results, Path dir, String name, String title,
      ToDoubleFunction<Measurement> value) throws IOException {
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
        .xAxisTitle("frame").yAxisTitle(title.substring(title.lastIndexOf('(') + 1, title.length() - 1)).build();
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
        values.add(ok ? value.applyAsDouble(m) : 0.0);
      }
      if (any) {
        chart.addSeries(format.label, inputs, values);
      }
    }
    Path file = dir.resolve(name + ".png");
    try (AtomicFile out = AtomicFile.create(file)) {
      BitmapEncoder.saveBitmap(chart, Channels.newOutputStream(out.channel()), BitmapEncoder.BitmapFormat.PNG);
      out.commit();
    }
    return file;
  }
}
