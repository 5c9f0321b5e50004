package io.debmonitor.ui.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.debmonitor.core.model.api.RolloutDTO;

/**
 * A package's rollout as the model of an inline SVG stacked bar chart: one bar per day, one
 * series per version (the newest {@link #SERIES} - 1 on their own, the older ones together), the
 * entities whose history does not reach back that far on top in grey. Drawn by the template with
 * CSS classes only, so the page's CSP needs no inline style or script.
 */
final class RolloutChart {

    static final int SERIES = 8;
    private static final int BAR = 10;
    private static final int GAP = 2;
    static final int HEIGHT = 200;

    private RolloutChart() {
    }

    /** @return {@code {"width", "height", "legend": [{label, class}], "bars": [{x, y, width, height, class, title}]}} */
    static Map<String, Object> of(RolloutDTO rollout, String noun) {
        List<String> versions = rollout.versions();
        int own = versions.size() <= SERIES ? versions.size() : SERIES - 1;
        int olderFrom = versions.size() - own;
        List<Map<String, Object>> legend = new ArrayList<>();
        for (int i = versions.size() - 1; i >= olderFrom; i--) {
            legend.add(entry(versions.get(i), "series-" + (versions.size() - 1 - i)));
        }
        if (olderFrom > 0) {
            legend.add(entry("older (" + olderFrom + " versions)", "series-" + own));
        }
        legend.add(entry("unknown (history not yet begun)", "series-unknown"));

        long max = 1;
        for (RolloutDTO.Day day : rollout.days()) {
            max = Math.max(max, day.counts().stream().mapToLong(Long::longValue).sum() + day.unknown());
        }
        List<Map<String, Object>> bars = new ArrayList<>();
        for (int d = 0; d < rollout.days().size(); d++) {
            RolloutDTO.Day day = rollout.days().get(d);
            int x = d * (BAR + GAP);
            long below = 0;
            // Newest version at the bottom, where its growth is easiest to follow.
            for (int i = versions.size() - 1; i >= olderFrom; i--) {
                below = stack(bars, x, below, day.counts().get(i), max, "series-" + (versions.size() - 1 - i),
                        day.day() + " · " + versions.get(i) + ": " + day.counts().get(i) + " " + noun);
            }
            long older = 0;
            for (int i = 0; i < olderFrom; i++) {
                older += day.counts().get(i);
            }
            below = stack(bars, x, below, older, max, "series-" + own, day.day() + " · older versions: " + older + " " + noun);
            stack(bars, x, below, day.unknown(), max, "series-unknown", day.day() + " · unknown: " + day.unknown() + " " + noun);
        }
        Map<String, Object> chart = new LinkedHashMap<>();
        chart.put("width", rollout.days().size() * (BAR + GAP));
        chart.put("height", HEIGHT);
        chart.put("max", max);
        chart.put("legend", legend);
        chart.put("bars", bars);
        return chart;
    }

    /** Adds a segment of {@code count} on top of {@code below}; @return the new height of the stack */
    private static long stack(List<Map<String, Object>> bars, int x, long below, long count, long max, String cssClass, String title) {
        if (count == 0) {
            return below;
        }
        long top = below + count;
        int y = (int) (HEIGHT - Math.round((double) top * HEIGHT / max));
        int height = (int) (HEIGHT - Math.round((double) below * HEIGHT / max)) - y;
        Map<String, Object> bar = new LinkedHashMap<>();
        bar.put("x", x);
        bar.put("y", y);
        bar.put("width", BAR);
        bar.put("height", Math.max(1, height));
        bar.put("class", cssClass);
        bar.put("title", title);
        bars.add(bar);
        return top;
    }

    private static Map<String, Object> entry(String label, String cssClass) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("label", label);
        entry.put("class", cssClass);
        return entry;
    }
}
