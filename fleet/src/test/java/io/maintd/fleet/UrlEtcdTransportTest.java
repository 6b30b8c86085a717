package io.maintd.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** flagctl's transport against a gateway that answers badly: every bad answer is a clear failure, never a partial value. */
@Timeout(60)
class UrlEtcdTransportTest {
    private static final int LIMIT = 1024;

    private static EtcdClient client(ScriptedGateway gateway) {
        return new EtcdClient(List.of(gateway.endpoint()), new UrlEtcdTransport(Duration.ofMillis(500), LIMIT));
    }

    private static Throwable failure(ScriptedGateway gateway) throws Exception {
        try (EtcdClient client = client(gateway)) {
            return assertThrows(ExecutionException.class, () -> client.rangeKey("/maintd/flags/all/maint").get()).getCause();
        }
    }

    @Test
    void anAnswerAboveTheLimitIsRefusedNamingTheEndpoint() throws Exception {
        byte[] body = new byte[LIMIT * 4];
        Arrays.fill(body, (byte) ' ');
        try (ScriptedGateway gateway = new ScriptedGateway(ScriptedGateway.reply(200, body.length, body))) {
            Throwable cause = failure(gateway);
            assertTrue(cause.getMessage().contains(gateway.endpoint() + "/v3/kv/range answered more than " + LIMIT + " bytes"),
                    cause.getMessage());
        }
    }

    @Test
    void aGatewayThatNeverAnswersTimesOut() throws Exception {
        try (ScriptedGateway gateway = new ScriptedGateway(ScriptedGateway.NEVER)) {
            EtcdUnavailableException cause = assertInstanceOf(EtcdUnavailableException.class, failure(gateway));
            assertInstanceOf(SocketTimeoutException.class, cause.getCause());
        }
    }

    @Test
    void aTruncatedAnswerIsAnErrorNotAPartialValue() throws Exception {
        byte[] part = "{\"header\":{\"revision\":\"7\"},\"kvs\":[".getBytes(StandardCharsets.UTF_8);
        try (ScriptedGateway gateway = new ScriptedGateway(ScriptedGateway.reply(200, 500, part))) {
            Throwable cause = failure(gateway);
            assertTrue(cause instanceof EtcdUnavailableException || cause instanceof EtcdException, cause.toString());
        }
    }

    @Test
    void anAnswerThatIsNotJsonIsAnErrorSayingSo() throws Exception {
        byte[] html = "<html>502 Bad Gateway</html>".getBytes(StandardCharsets.UTF_8);
        try (ScriptedGateway gateway = new ScriptedGateway(ScriptedGateway.reply(502, html.length, html))) {
            EtcdException cause = assertInstanceOf(EtcdException.class, failure(gateway));
            assertTrue(cause.getMessage().contains("HTTP 502 with a body that is not JSON"), cause.getMessage());
        }
    }

    @Test
    void aConnectionClosedBeforeTheAnswerIsNotSentAgain() throws Exception {
        // A txn sent twice would write its fleet-log entry twice: the transport must leave
        // retrying to EtcdClient's failover, which moves to the next endpoint instead.
        try (ScriptedGateway gateway = new ScriptedGateway(socket -> { })) {
            assertInstanceOf(EtcdUnavailableException.class, failure(gateway));
            assertEquals(1, gateway.requests().size(), gateway.requests().toString());
            assertTrue(gateway.requests().get(0).startsWith("POST /v3/kv/range HTTP/1.1\r\n"), gateway.requests().get(0));
        }
    }
}
