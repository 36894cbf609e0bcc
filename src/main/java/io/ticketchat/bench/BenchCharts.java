package io.ticketchat.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Draws the benchmark plots as PNG files, headless. */
final class BenchCharts {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 540;

    private BenchCharts() {
    }

    /** Memory over the idle baseline against open connections, one line per server and measure. */
    static void memory(Map<String, List<IdleMemoryBenchmark.Level>> byServer, Path png) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        byServer.forEach((server, levels) -> {
            XYSeries rss = new XYSeries(server + " RSS");
            XYSeries heap = new XYSeries(server + " heap after GC");
            IdleMemoryBenchmark.Level base = levels.get(0);
            for (IdleMemoryBenchmark.Level level : levels) {
                rss.add(level.connected(), (level.rssBytes() - base.rssBytes()) / 1048576.0);
                heap.add(level.connected(), (level.heapBytes() - base.heapBytes()) / 1048576.0);
            }
            data.addSeries(rss);
            if (levels.stream().anyMatch(l -> l.heapBytes() > 0)) {
                data.addSeries(heap);
            }
        });
        JFreeChart chart = ChartFactory.createXYLineChart("Memory over the idle baseline",
                "connections joined to a ticket", "MiB", data, PlotOrientation.VERTICAL, true, false, false);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
    }

    /** Delivery latency percentiles against the offered send rate, log scale, one line per server. */
    static void latency(Map<String, FanoutBenchmark.Result> byServer, Path png) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        byServer.forEach((server, result) -> {
            XYSeries p50 = new XYSeries(server + " p50");
            XYSeries p95 = new XYSeries(server + " p95");
            XYSeries p99 = new XYSeries(server + " p99");
            for (FanoutBenchmark.Step step : result.steps()) {
                p50.add(step.offeredPerSecond(), Math.max(0.01, step.p50Micros() / 1e3));
                p95.add(step.offeredPerSecond(), Math.max(0.01, step.p95Micros() / 1e3));
                p99.add(step.offeredPerSecond(), Math.max(0.01, step.p99Micros() / 1e3));
            }
            data.addSeries(p50);
            data.addSeries(p95);
            data.addSeries(p99);
        });
        JFreeChart chart = ChartFactory.createXYLineChart("Fan-out delivery latency, 100 rooms of 10",
                "offered messages per second (all rooms)", "ms", data, PlotOrientation.VERTICAL, true, false, false);
        chart.getXYPlot().setRangeAxis(new LogAxis("ms (log scale)"));
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
    }
}
