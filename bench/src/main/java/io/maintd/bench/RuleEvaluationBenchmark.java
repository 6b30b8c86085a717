package io.maintd.bench;

import io.maintd.config.ConfigLoader;
import io.maintd.config.MaintdConfig;
import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagKind;
import io.maintd.flagfile.FlagWriter;
import io.maintd.proxy.http.RequestDecoder;
import io.maintd.proxy.http.RequestHead;
import io.maintd.rules.Decision;
import io.maintd.rules.RuleCompiler;
import io.maintd.rules.RuleSet;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rule evaluation: {@link RuleSet#decide} for the rules of the example config
 * (maintenance unless bypass header, shed, backend), over a real memory-mapped flag file.
 * One scenario per request path; {@code -prof gc} shows the allocation per decision.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class RuleEvaluationBenchmark {
    private static final String CONFIG = """
            backends:
              app: { servers: [127.0.0.1:9001] }
            rules:
              - if: "maint > 0"
                unless: { header: X-Maintd-Bypass, equals: "${MAINTD_BYPASS_TOKEN}" }
                then: maintenance
              - if: "shed > 0"
                then: { shed: shed }
              - then: { backend: app }
            """;
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    /**
     * backend: maint=0, the request goes to the backend. maintenance: maint=1, no token.
     * bypass: maint=1 with the right token. source-bypass(-v6): maint=1, exempted by client
     * CIDR instead of the header (the one matcher that reads the client address), IPv4 / IPv6.
     */
    @Param({"backend", "maintenance", "bypass", "source-bypass", "source-bypass-v6"})
    public String path;

    private Path dir;
    private FlagFile file;
    private RuleSet rules;
    private RequestHead request;
    private InetAddress client;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("maintd-bench");
        Path flags = dir.resolve("flags");
        FlagFile.createIfMissing(flags, 64, FlagFile.DEFAULT_MODE, null);
        file = FlagFile.openReadWrite(flags);
        FlagWriter writer = file.writer();
        writer.define("maint", FlagKind.FLAG, path.equals("backend") ? 0 : 1);
        writer.define("shed", FlagKind.FLAG, 0);
        boolean bySource = path.startsWith("source-bypass");
        String config = bySource
                ? CONFIG.replace("{ header: X-Maintd-Bypass, equals: \"${MAINTD_BYPASS_TOKEN}\" }",
                        "{ source: [10.0.0.0/8, \"fd00::/8\"] }")
                : CONFIG;
        MaintdConfig parsed = ConfigLoader.parse(config, "bench.yaml", Map.of("MAINTD_BYPASS_TOKEN", TOKEN),
                RuleCompiler::check);
        rules = RuleCompiler.compile(parsed, FlagFile.openReadOnly(flags).reader());
        request = parse("GET /orders/42?expand=items HTTP/1.1\r\nHost: shop.example.com\r\nUser-Agent: bench\r\n"
                + "Accept: text/html\r\n" + (path.equals("bypass") ? "X-Maintd-Bypass: " + TOKEN + "\r\n" : "") + "\r\n");
        client = InetAddress.getByName(path.equals("source-bypass") ? "10.1.2.3"
                : path.equals("source-bypass-v6") ? "fd12::1" : "192.0.2.10");
        Decision expected = rules.decide(request, client);
        if (!expected.routeLabel().equals(bySource ? "bypass" : path)) {
            throw new IllegalStateException("scenario " + path + " decided " + expected);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        file.close();
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    /** The head as the proxy hands it to the rules: read by its decoder from the bytes. */
    private static RequestHead parse(String head) {
        EmbeddedChannel channel = new EmbeddedChannel(new RequestDecoder(8192, 16384));
        channel.writeInbound(Unpooled.copiedBuffer(head, StandardCharsets.ISO_8859_1));
        RequestHead parsed = channel.readInbound();
        channel.finishAndReleaseAll();
        return parsed;
    }

    @Benchmark
    public Decision decide() {
        return rules.decide(request, client);
    }
}
