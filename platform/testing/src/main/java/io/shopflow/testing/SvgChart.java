package io.shopflow.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The benchmarks' charts as self-contained SVG files (no plotting library, viewable in any browser
 * and on GitHub): grouped bars for comparing systems, lines for a throughput/latency curve, a
 * timeline for what a run did second by second.
 */
public final class SvgChart {

    private static final String[] COLORS = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1"};
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 460;
    private static final int LEFT = 80;
    private static final int RIGHT = 270;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;

    private final StringBuilder svg = new StringBuilder();

    private SvgChart(String title) {
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\" font-family=\"sans-serif\" font-size=\"12\">\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(WIDTH / 2.0, 25, title, "middle", 16);
    }

    /**
     * One group of bars per category, one bar per series (missing values: {@code NaN}, no bar);
     * each bar labelled with its value.
     */
    public static String bars(String title, String yLabel, List<String> categories, Map<String, double[]> series) {
        SvgChart chart = new SvgChart(title);
        double max = series.values().stream().flatMapToDouble(java.util.Arrays::stream).filter(v -> !Double.isNaN(v))
                .max().orElse(1);
        double top = niceCeiling(max);
        chart.yAxis(yLabel, 0, top);
        double groupWidth = plotWidth() / categories.size();
        double barWidth = groupWidth * 0.8 / series.size();
        for (int c = 0; c < categories.size(); c++) {
            double groupLeft = LEFT + c * groupWidth + groupWidth * 0.1;
            chart.text(LEFT + (c + 0.5) * groupWidth, HEIGHT - BOTTOM + 20, categories.get(c), "middle", 12);
            int s = 0;
            for (double[] values : series.values()) {
                double value = values[c];
                double x = groupLeft + s * barWidth;
                if (!Double.isNaN(value)) {
                    double y = y(value, 0, top);
                    chart.svg.append(String.format(Locale.ROOT,
                            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n",
                            x, y, barWidth - 2, HEIGHT - BOTTOM - y, COLORS[s % COLORS.length]));
                    chart.text(x + barWidth / 2 - 1, y - 4, compact(value), "middle", 10);
                }
                s++;
            }
        }
        chart.legend(series.keySet().stream().toList(), false, WIDTH - RIGHT + 20, series.size());
        return chart.finish();
    }

    /**
     * One line through the points (x, y) of each series on a logarithmic y axis (latencies that
     * go from milliseconds to a minute stay readable), a dashed horizontal line at {@code target}
     * (e.g. a latency objective), and {@code labels} next to the points of the first series.
     */
    public static String lines(String title, String xLabel, String yLabel, Map<String, List<double[]>> series,
                               double target, String targetLabel, List<String> labels) {
        SvgChart chart = new SvgChart(title);
        List<double[]> all = series.values().stream().flatMap(List::stream).toList();
        double topX = niceCeiling(all.stream().mapToDouble(p -> p[0]).max().orElse(1));
        double lowY = Math.pow(10, Math.floor(Math.log10(Math.min(target,
                all.stream().mapToDouble(p -> p[1]).filter(v -> v > 0).min().orElse(target)))));
        double highY = Math.pow(10, Math.ceil(Math.log10(Math.max(target * 1.01,
                all.stream().mapToDouble(p -> p[1]).max().orElse(target)))));
        for (double tick = lowY; tick <= highY * 1.001; tick *= 10) {
            double y = logY(tick, lowY, highY);
            chart.svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
                    LEFT, y, LEFT + plotWidth(), y));
            chart.text(LEFT - 6, y + 4, compact(tick), "end", 11);
        }
        chart.axes(yLabel);
        for (int i = 0; i <= 5; i++) {
            double x = LEFT + plotWidth() * i / 5;
            chart.svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\"/>\n",
                    x, HEIGHT - BOTTOM, x, HEIGHT - BOTTOM + 5));
            chart.text(x, HEIGHT - BOTTOM + 20, compact(topX * i / 5), "middle", 11);
        }
        chart.text(LEFT + plotWidth() / 2, HEIGHT - 20, xLabel, "middle", 12);
        double targetY = logY(target, lowY, highY);
        chart.svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                + "stroke=\"#e15759\" stroke-dasharray=\"6,4\"/>\n", LEFT, targetY, LEFT + plotWidth(), targetY));
        chart.text(LEFT + 6, targetY - 5, targetLabel, "start", 11);
        int s = 0;
        for (List<double[]> points : series.values()) {
            String color = COLORS[s % COLORS.length];
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < points.size(); i++) {
                double x = LEFT + plotWidth() * points.get(i)[0] / topX;
                double y = logY(points.get(i)[1], lowY, highY);
                path.append(path.isEmpty() ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
                chart.svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>\n",
                        x, y, color));
                if (s == 0 && i < labels.size()) {
                    chart.text(x + 7, y - 7, labels.get(i), "start", 10);
                }
            }
            chart.svg.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(color)
                    .append("\" stroke-width=\"2\"/>\n");
            s++;
        }
        chart.legend(series.keySet().stream().toList(), true, WIDTH - RIGHT + 20, series.size());
        return chart.finish();
    }

    /**
     * Lines over a linear x axis (e.g. the seconds of a run) against a linear y axis on the left,
     * and more lines, dashed, against a second linear y axis on the right, for another unit (e.g.
     * latency next to throughput); {@code marks} are labelled vertical lines at their x (e.g. where
     * each phase of the run starts). A {@code NaN} or infinite y leaves a gap in its line.
     */
    public static String timeline(String title, String xLabel, String yLabel, Map<String, List<double[]>> series,
                                  String rightLabel, Map<String, List<double[]>> rightSeries, Map<Double, String> marks) {
        SvgChart chart = new SvgChart(title);
        double topX = Stream.concat(series.values().stream(), rightSeries.values().stream())
                .flatMap(List::stream).mapToDouble(p -> p[0]).max().orElse(1);
        double top = niceCeiling(maxY(series));
        double rightTop = niceCeiling(maxY(rightSeries));
        chart.yAxis(yLabel, 0, top);
        double right = LEFT + plotWidth();
        chart.svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\"/>\n",
                right, TOP, right, HEIGHT - BOTTOM));
        for (int i = 0; i <= 5; i++) {
            chart.text(right + 6, y(rightTop * i / 5, 0, rightTop) + 4, compact(rightTop * i / 5), "start", 11);
        }
        double rightLabelX = right + 50;
        chart.svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                        + "transform=\"rotate(90 %.1f %.1f)\">%s</text>\n", rightLabelX, TOP + plotHeight() / 2,
                rightLabelX, TOP + plotHeight() / 2, escape(rightLabel)));
        double step = niceCeiling(topX / 6);
        for (double tick = 0; tick <= topX; tick += step) {
            double x = LEFT + plotWidth() * tick / topX;
            chart.svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\"/>\n",
                    x, HEIGHT - BOTTOM, x, HEIGHT - BOTTOM + 5));
            chart.text(x, HEIGHT - BOTTOM + 20, compact(tick), "middle", 11);
        }
        chart.text(LEFT + plotWidth() / 2, HEIGHT - 20, xLabel, "middle", 12);
        marks.forEach((at, label) -> {
            double x = LEFT + plotWidth() * at / topX;
            chart.svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
                    + "stroke=\"#999\" stroke-dasharray=\"3,3\"/>\n", x, TOP, x, HEIGHT - BOTTOM));
            chart.text(x + 4, TOP + 12, label, "start", 10);
        });
        int s = 0;
        for (List<double[]> points : series.values()) {
            chart.polyline(points, topX, top, COLORS[s++ % COLORS.length], false);
        }
        for (List<double[]> points : rightSeries.values()) {
            chart.polyline(points, topX, rightTop, COLORS[s++ % COLORS.length], true);
        }
        List<String> names = Stream.concat(series.keySet().stream(), rightSeries.keySet().stream())
                .toList();
        chart.legend(names, true, WIDTH - RIGHT + 75, series.size());
        return chart.finish();
    }

    /** Charts made by this class one above the other in one SVG image (e.g. a run's table sizes over its latency). */
    public static String stacked(List<String> charts) {
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                + "width=\"%d\" height=\"%d\">\n", WIDTH, HEIGHT * charts.size()));
        for (int i = 0; i < charts.size(); i++) {
            svg.append(charts.get(i).replaceFirst("^<svg ", "<svg y=\"" + HEIGHT * i + "\" "));
        }
        return svg.append("</svg>\n").toString();
    }

    /** Writes {@code svg} to {@code file}, creating its directory. */
    public static void write(Path file, String svg) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, svg);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write chart " + file, e);
        }
    }

    private void yAxis(String label, double from, double to) {
        for (int i = 0; i <= 5; i++) {
            double value = from + (to - from) * i / 5;
            double y = y(value, from, to);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
                    LEFT, y, LEFT + plotWidth(), y));
            text(LEFT - 6, y + 4, compact(value), "end", 11);
        }
        axes(label);
    }

    private void axes(String yLabel) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n",
                LEFT, TOP, LEFT, HEIGHT - BOTTOM));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\"/>\n",
                LEFT, HEIGHT - BOTTOM, LEFT + plotWidth(), HEIGHT - BOTTOM));
        svg.append(String.format(Locale.ROOT, "<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 18 %.1f)\">%s</text>\n", TOP + plotHeight() / 2, TOP + plotHeight() / 2, escape(yLabel)));
    }

    /** A line through the points on the linear axes [0, topX] x [0, topY]; NaN (and infinite) values break it. */
    private void polyline(List<double[]> points, double topX, double topY, String color, boolean dashed) {
        StringBuilder path = new StringBuilder();
        boolean gap = true;
        for (double[] point : points) {
            if (!Double.isFinite(point[1])) {
                gap = true;
                continue;
            }
            path.append(path.isEmpty() ? "" : " ").append(gap ? "M" : "L").append(String.format(Locale.ROOT,
                    "%.1f %.1f", LEFT + plotWidth() * point[0] / topX, y(point[1], 0, topY)));
            gap = false;
        }
        svg.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(color)
                .append("\" stroke-width=\"1.5\"").append(dashed ? " stroke-dasharray=\"6,3\"" : "").append("/>\n");
    }

    private static double maxY(Map<String, List<double[]>> series) {
        return series.values().stream().flatMap(List::stream).mapToDouble(p -> p[1])
                .filter(Double::isFinite).max().orElse(1);
    }

    /** One entry per name at {@code x}; entries from {@code firstDashed} on are dashed lines. */
    private void legend(List<String> names, boolean lines, double x, int firstDashed) {
        for (int i = 0; i < names.size(); i++) {
            double y = TOP + 10 + i * 22;
            String color = COLORS[i % COLORS.length];
            svg.append(lines
                    ? String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"3\"%s/>\n",
                            x, y, x + 14, y, color, i >= firstDashed ? " stroke-dasharray=\"4,2\"" : "")
                    : String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"14\" fill=\"%s\"/>\n",
                            x, y - 7, color));
            text(x + 20, y + 4, names.get(i), "start", 12);
        }
    }

    private void text(double x, double y, String text, String anchor, int size) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>\n",
                x, y, anchor, size, escape(text)));
    }

    private String finish() {
        return svg.append("</svg>\n").toString();
    }

    private static double plotWidth() {
        return WIDTH - LEFT - RIGHT;
    }

    private static double plotHeight() {
        return HEIGHT - TOP - BOTTOM;
    }

    private static double y(double value, double from, double to) {
        return HEIGHT - BOTTOM - plotHeight() * (value - from) / (to - from);
    }

    private static double logY(double value, double from, double to) {
        return y(Math.log10(Math.max(value, from)), Math.log10(from), Math.log10(to));
    }

    /** The smallest of 1, 2, 2.5, 5 times a power of ten that is at least {@code value}. */
    static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    static String compact(double value) {
        if (Math.abs(value) >= 10_000) {
            return String.format(Locale.ROOT, "%.0fk", value / 1000);
        }
        if (Math.abs(value) >= 1000) {
            return String.format(Locale.ROOT, "%.1fk", value / 1000);
        }
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, Math.abs(value) < 10 ? "%.2f" : "%.1f", value);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
