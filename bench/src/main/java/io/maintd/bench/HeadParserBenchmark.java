package io.maintd.bench;

import io.maintd.proxy.http.BodyFraming;
import io.maintd.proxy.http.ForwardedRequestHead;
import io.maintd.proxy.http.HeadIndex;
import io.maintd.proxy.http.HeadParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parsing one typical request head (a browser's GET with 8 header fields, 433 bytes) from a
 * direct buffer, as the proxy receives it:
 * <ul>
 *   <li>{@code nettyDecoder}: what the proxy does today, Netty's {@link HttpRequestDecoder} with
 *       the proxy's limits, which builds a request with a {@code DefaultHttpHeaders} map of
 *       Strings;</li>
 *   <li>{@code headIndex}: {@link HeadParser} into a reused {@link HeadIndex}, plus the body
 *       framing, which reads the bytes where they are.</li>
 * </ul>
 * And the whole head pass of a proxied request, parse and write for the upstream hop:
 * <ul>
 *   <li>{@code nettyDecodeEncode}: Netty's decoder, then its {@link HttpRequestEncoder} (today's
 *       proxy also edits the header map in between, which is not counted here);</li>
 *   <li>{@code headIndexForward}: {@link HeadParser}, then {@link ForwardedRequestHead} writing the
 *       original bytes with the proxy's edits into a reused buffer.</li>
 * </ul>
 * {@code -prof gc} gives the bytes allocated per head ({@code gc.alloc.rate.norm}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class HeadParserBenchmark {
    static final String TYPICAL_HEAD = "GET /api/v1/items?id=42&sort=name HTTP/1.1\r\n"
            + "Host: app.example.com\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            + "Accept-Language: en-US,en;q=0.5\r\n"
            + "Accept-Encoding: gzip, deflate, br\r\n"
            + "Cookie: session=5f2b7c1e9a8d4e3f; theme=dark\r\n"
            + "X-Request-Id: 9f1c2d3e-4b5a-6789-abcd-ef0123456789\r\n"
            + "Connection: keep-alive\r\n"
            + "\r\n";

    private ByteBuf head;
    private final HeadParser parser = new HeadParser(4096, 8192);
    private final HeadIndex index = new HeadIndex();
    private ExposedDecoder decoder;
    private final List<Object> decoded = new ArrayList<>();

    /** Netty's decoder with its {@code decode} reachable, so no channel pipeline is measured with it. */
    static final class ExposedDecoder extends HttpRequestDecoder {
        ExposedDecoder() {
            super(new HttpDecoderConfig().setMaxInitialLineLength(4096).setMaxHeaderSize(8192).setMaxChunkSize(8192));
        }

        void decodeHead(ByteBuf in, List<Object> out) throws Exception {
            decode(null, in, out);
        }
    }

    /** Netty's encoder with its {@code encode} reachable; it allocates through a real channel's context. */
    static final class ExposedEncoder extends HttpRequestEncoder {
        void encodeHead(ChannelHandlerContext ctx, Object msg, List<Object> out) throws Exception {
            encode(ctx, msg, out);
        }
    }

    private ExposedEncoder encoder;
    private ChannelHandlerContext encoderContext;
    private final List<Object> encoded = new ArrayList<>();
    private ByteBuf forwarded;

    @Setup
    public void setUp() {
        byte[] bytes = TYPICAL_HEAD.getBytes(StandardCharsets.US_ASCII);
        head = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
        decoder = new ExposedDecoder();
        encoder = new ExposedEncoder();
        encoderContext = new EmbeddedChannel(encoder).pipeline().context(encoder);
        forwarded = Unpooled.directBuffer(1024);
    }

    @Benchmark
    public Object nettyDecoder() throws Exception {
        head.readerIndex(0);
        decoded.clear();
        decoder.decodeHead(head, decoded);
        Object request = decoded.get(0);
        for (Object message : decoded) {
            ReferenceCountUtil.release(message);
        }
        return request;
    }

    @Benchmark
    public int nettyDecodeEncode() throws Exception {
        head.readerIndex(0);
        decoded.clear();
        decoder.decodeHead(head, decoded);
        encoded.clear();
        int bytes = 0;
        for (Object message : decoded) {
            encoder.encodeHead(encoderContext, message, encoded);
        }
        for (Object out : encoded) {
            bytes += ((ByteBuf) out).readableBytes();
            ReferenceCountUtil.release(out);
        }
        return bytes;
    }

    @Benchmark
    public int headIndexForward() {
        head.readerIndex(0);
        if (parser.parseRequest(head, index) != HeadParser.Outcome.COMPLETE) {
            throw new IllegalStateException("the typical head did not parse");
        }
        forwarded.clear();
        ForwardedRequestHead.write(index, null, null, "192.0.2.7", false, forwarded);
        return forwarded.readableBytes();
    }

    @Benchmark
    public long headIndex() {
        head.readerIndex(0);
        if (parser.parseRequest(head, index) != HeadParser.Outcome.COMPLETE) {
            throw new IllegalStateException("the typical head did not parse");
        }
        return BodyFraming.ofRequest(index) + index.end();
    }
}
