package io.shopflow.testing;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SvgChartTest {

    @Test
    void barsDrawOneRectanglePerPresentValueAndLabelThem() throws Exception {
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("relay", new double[] {12_000, 950});
        series.put("peer <connect>", new double[] {8_000, Double.NaN});
        Document svg = parse(SvgChart.bars("events/s", "events per second", List.of("bulk", "single-row"), series));

        // background + 3 bars + 2 legend squares
        assertThat(svg.getElementsByTagName("rect").getLength()).isEqualTo(6);
        assertThat(texts(svg)).contains("events/s", "bulk", "single-row", "12k", "8.0k", "950", "peer <connect>");
    }

    @Test
    void linesDrawEveryPointAndTheTarget() throws Exception {
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        series.put("p99", List.of(new double[] {5, 0.3}, new double[] {10, 0.6}, new double[] {20, 4.2}));
        Document svg = parse(SvgChart.lines("capacity", "sagas/s", "seconds", series, 1.0, "target 1 s",
                List.of("5/s", "10/s", "20/s")));

        assertThat(svg.getElementsByTagName("circle").getLength()).isEqualTo(3);
        assertThat(svg.getElementsByTagName("path").item(0).getAttributes().getNamedItem("d").getNodeValue())
                .startsWith("M").contains(" L");
        // Decades from 0.1 s to 10 s on the logarithmic axis, and a label per point.
        assertThat(texts(svg)).contains("capacity", "sagas/s", "seconds", "target 1 s", "0.10", "1", "10", "5/s", "20/s");
    }

    @Test
    void timelineDrawsLeftAndRightSeriesWithGapsAndLabelledMarks() throws Exception {
        Map<String, List<double[]>> rates = new LinkedHashMap<>();
        rates.put("offered/s", List.of(new double[] {0, 100}, new double[] {1, 300}, new double[] {2, 300}));
        rates.put("completed/s", List.of(new double[] {0, 98}, new double[] {1, 104}, new double[] {2, 103}));
        Map<String, List<double[]>> latency = Map.of("p99", List.of(new double[] {0, 0.4}, new double[] {1, Double.NaN},
                new double[] {2, 1.9}, new double[] {3, 0.5}));
        Document svg = parse(SvgChart.timeline("overload", "seconds", "orders per second", rates, "p99 seconds",
                latency, Map.of(1.0, "300/s (3x)")));

        NodeList paths = svg.getElementsByTagName("path");
        assertThat(paths.getLength()).isEqualTo(3);
        assertThat(paths.item(0).getAttributes().getNamedItem("d").getNodeValue()).startsWith("M").contains(" L");
        // The NaN second starts a new piece of the p99 line, which is dashed: it is on the right axis.
        assertThat(paths.item(2).getAttributes().getNamedItem("d").getNodeValue()).matches("M[^M]+ M[^M]+");
        assertThat(paths.item(2).getAttributes().getNamedItem("stroke-dasharray")).isNotNull();
        // Left axis up to 500 orders/s, right axis up to 2 s, the mark and every legend entry.
        assertThat(texts(svg)).contains("overload", "seconds", "orders per second", "p99 seconds", "500", "2",
                "300/s (3x)", "offered/s", "completed/s", "p99");
    }

    @Test
    void stackedPutsEachChartBelowThePreviousOne() throws Exception {
        Map<String, List<double[]>> rows = Map.of("inbox rows", List.of(new double[] {0, 10}, new double[] {1, 12}));
        Map<String, List<double[]>> p99 = Map.of("p99", List.of(new double[] {0, 0.4}, new double[] {1, 0.5}));
        String tables = SvgChart.timeline("tables", "minutes", "rows", rows, "MB", Map.of(), Map.of());
        String latency = SvgChart.timeline("latency", "minutes", "orders per second", Map.of(), "seconds", p99, Map.of());

        Document svg = parse(SvgChart.stacked(List.of(tables, latency)));

        NodeList charts = svg.getDocumentElement().getElementsByTagName("svg");
        assertThat(charts.getLength()).isEqualTo(2);
        assertThat(charts.item(1).getAttributes().getNamedItem("y").getNodeValue())
                .isEqualTo(charts.item(0).getAttributes().getNamedItem("height").getNodeValue());
        assertThat(svg.getDocumentElement().getAttribute("height")).isEqualTo("920");
        assertThat(texts(svg)).contains("tables", "latency", "inbox rows", "p99");
    }

    @Test
    void axesEndOnRoundNumbers() {
        assertThat(SvgChart.niceCeiling(0.7)).isEqualTo(1.0);
        assertThat(SvgChart.niceCeiling(1_234)).isEqualTo(2_000.0);
        assertThat(SvgChart.niceCeiling(2_400)).isEqualTo(2_500.0);
        assertThat(SvgChart.niceCeiling(31)).isEqualTo(50.0);
    }

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> texts(Document svg) {
        NodeList nodes = svg.getElementsByTagName("text");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        return texts;
    }
}
