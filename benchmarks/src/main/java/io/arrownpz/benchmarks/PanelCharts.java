package io.arrownpz.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle;
import org.knowm.xchart.style.Styler;

/**
 * Draws the panel report's charts: for each target in {@code panel.json} (written by
 * {@code benchmarks/peers/report.py}), one bar chart of the ratios ours / peer, a series per peer and
 * measure, with the target as a line. Writes {@code panel-SECTION.png} beside the report.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.arrownpz.benchmarks.PanelCharts benchmarks/results</pre>
 */
public final class PanelCharts {
  private PanelCharts() {}

  public static void main(String[] args) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Path directory = Path.of(args.length > 0 ? args[0] : "benchmarks/results");
    JsonNode panel = new ObjectMapper().readTree(directory.resolve("panel.json").toFile());
    Map<String, List<JsonNode>> bySection = new LinkedHashMap<>();
    for (JsonNode row : panel.get("rows")) {
      bySection.computeIfAbsent(row.get("section").asText(), s -> new ArrayList<>()).add(row);
    }
    for (Map.Entry<String, List<JsonNode>> section : bySection.entrySet()) {
      String title = panel.get("sections").get(section.getKey()).asText();
      Path file = directory.resolve("panel-" + section.getKey() + ".png");
      BitmapEncoder.saveBitmap(chart(title, section.getValue()), file.toString(), BitmapEncoder.BitmapFormat.PNG);
      System.out.println(file);
    }
  }

  /** Cases along the axis; one series per measure and peer ("write snappy vs pyarrow"); the target as a line. */
  private static CategoryChart chart(String title, List<JsonNode> rows) {
    List<String> cases = new ArrayList<>();
    Map<String, Map<String, Double>> series = new LinkedHashMap<>();
    double target = 0;
    for (JsonNode row : rows) {
      String c = row.get("case").asText();
      if (!cases.contains(c)) {
        cases.add(c);
      }
      series.computeIfAbsent(row.get("what").asText() + " vs " + row.get("peer").asText(), s -> new LinkedHashMap<>())
          .put(c, row.get("ratio").asDouble());
      target = Math.max(target, row.get("target").asDouble());
    }
    CategoryChart chart = new CategoryChartBuilder().width(1200).height(520).title(title)
        .xAxisTitle("case").yAxisTitle("ours / peer (under 1: ours cheaper)").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setAvailableSpaceFill(0.85);
    chart.getStyler().setXAxisLabelRotation(20);
    chart.getStyler().setOverlapped(false);
    for (Map.Entry<String, Map<String, Double>> s : series.entrySet()) {
      List<Double> values = new ArrayList<>();
      for (String c : cases) {
        values.add(s.getValue().getOrDefault(c, 0.0));
      }
      chart.addSeries(s.getKey(), cases, values);
    }
    List<Double> line = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      line.add(target);
    }
    chart.addSeries("target", cases, line).setChartCategorySeriesRenderStyle(CategorySeriesRenderStyle.Line);
    return chart;
  }
}
