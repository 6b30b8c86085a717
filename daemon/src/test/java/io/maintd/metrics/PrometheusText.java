package io.maintd.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format (0.0.4) for tests: every non-comment line must
 * be {@code name{labels} value}, or parsing fails with the offending line. Series are keyed
 * as written, e.g. {@code maintd_requests_total{route="backend",status="2xx"}}.
 */
public final class PrometheusText {
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*\\})? "
                    + "(-?[0-9.eE+-]+|NaN|[+-]Inf)( -?[0-9]+)?");
    private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*|#.*");

    private PrometheusText() {
    }

    public static Map<String, Double> parse(String text) {
        Map<String, Double> series = new LinkedHashMap<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty() || COMMENT.matcher(line).matches()) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("line " + lineNo + " is not Prometheus text: " + line);
            }
            String key = m.group(1) + (m.group(2) == null ? "" : m.group(2));
            series.put(key, Double.parseDouble(m.group(3).replace("Inf", "Infinity")));
        }
        return series;
    }

    /** The value of the one series whose key starts with {@code name{} and contains every label pair. */
    public static double value(Map<String, Double> series, String name, String... labels) {
        Double found = null;
        for (Map.Entry<String, Double> e : series.entrySet()) {
            String key = e.getKey();
            if (!key.equals(name) && !key.startsWith(name + "{")) {
                continue;
            }
            boolean all = true;
            for (int i = 0; i < labels.length; i += 2) {
                all &= key.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
            }
            if (all) {
                if (found != null) {
                    throw new IllegalArgumentException("more than one series matches " + name + " " + String.join(",", labels));
                }
                found = e.getValue();
            }
        }
        if (found == null) {
            throw new IllegalArgumentException("no series " + name + " " + String.join(",", labels) + " in " + series.keySet());
        }
        return found;
    }
}
