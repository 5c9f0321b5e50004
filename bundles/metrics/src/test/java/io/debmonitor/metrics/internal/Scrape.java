package io.debmonitor.metrics.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;

/** A scrape in the text format, its samples keyed by the line's text before the value. */
final class Scrape {

    final String text;
    final Map<String, Double> samples = new LinkedHashMap<>();

    Scrape(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), Double.valueOf(line.substring(space + 1)));
            }
        }
    }

    static Scrape of(ActivityMetrics metrics) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, metrics.scrape());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return new Scrape(out.toString(StandardCharsets.UTF_8));
    }

    /** @return the sample's value, or null when the scrape has no such line */
    Double get(String series) {
        return samples.get(series);
    }

    boolean hasMetric(String name) {
        return samples.keySet().stream().anyMatch(series -> series.equals(name) || series.startsWith(name + "{"));
    }
}
