package io.maintd.config;

import io.maintd.config.MaintdConfig.CheckConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a backend's {@code check:}: absent means the default checks, {@code off} means none,
 * a mapping changes what it names. Bounds keep a typo from becoming a check storm or a check
 * that never runs.
 */
final class CheckTreeReader {
    private static final List<String> KEYS = List.of("interval", "rise", "fall", "path", "expect-status");
    private static final Duration MIN_INTERVAL = Duration.ofMillis(10);
    private static final Duration MAX_INTERVAL = Duration.ofHours(24);
    private static final int MAX_COUNT = 100;
    private static final int MAX_PATH_LENGTH = 1024;
    /** An origin-form request target: '/' then visible ASCII, so it cannot end the request line or add a header. */
    private static final Pattern PATH = Pattern.compile("/[!-~]*");

    private CheckTreeReader() {
    }

    /** Null when the checks are off. */
    static CheckConfig read(ConfigNode node) {
        CheckConfig d = ConfigDefaults.CHECK;
        if (node == null) {
            return d;
        }
        if (!node.isMapping()) {
            String word = node.text();
            if (word != null && (word.equals("off") || word.equals("false"))) {
                return null;
            }
            if (word != null) {
                node.problem("'" + word + "' is not a check setting", "write check: off, or a mapping such as check: { path: /healthz }");
            }
            return d;
        }
        Map<String, ConfigNode> keys = node.mapping(KEYS);
        ConfigNode expect = keys.get("expect-status");
        String path = keys.get("path") == null ? null : keys.get("path").parsed(CheckTreeReader::path);
        if (expect != null && keys.get("path") == null) {
            expect.problem("'expect-status' needs 'path': a TCP check has no status", "add path: /healthz (an HTTP GET)");
        }
        return new CheckConfig(
                ConfigTreeReader.value(keys.get("interval"), CheckTreeReader::interval, d.interval()),
                ConfigTreeReader.value(keys.get("rise"), CheckTreeReader::count, d.rise()),
                ConfigTreeReader.value(keys.get("fall"), CheckTreeReader::count, d.fall()),
                path,
                ConfigTreeReader.value(expect, ConfigTreeReader::httpStatus, d.expectStatus()));
    }

    private static Duration interval(String text) {
        Duration d = ConfigTreeReader.positiveDuration(text);
        if (d.compareTo(MIN_INTERVAL) < 0 || d.compareTo(MAX_INTERVAL) > 0) {
            throw new IllegalArgumentException("'" + text + "' is outside 10ms to 24h");
        }
        return d;
    }

    private static int count(String text) {
        int n = ConfigTreeReader.integer(text);
        if (n < 1 || n > MAX_COUNT) {
            throw new IllegalArgumentException("'" + text + "' is outside 1 to " + MAX_COUNT);
        }
        return n;
    }

    private static String path(String text) {
        if (text.length() > MAX_PATH_LENGTH) {
            throw new IllegalArgumentException("is " + text.length() + " characters long (at most " + MAX_PATH_LENGTH + ")");
        }
        if (!PATH.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text.replaceAll("[^ -~]", "?")
                    + "' is not a request path: it starts with '/' and has no spaces or control characters");
        }
        return text;
    }
}
