package io.maintd.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.testsupport.ScriptedBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class PipelineDepthTest {
    @TempDir
    Path dir;

    /**
     * 3,000 small requests in one write: after the first socket read (2 KiB) the next one brings
     * far more than the codec's 128 unanswered requests. The proxy answers every request it
     * forwarded, marks the last answer {@code Connection: close} and closes: nothing reaches the
     * backend without being answered, and the client knows to send the rest again.
     */
    @Test
    void pipeliningBeyondTheDepthAnswersWhatWasForwardedThenClosesSayingSo() throws Exception {
        int sent = 3000;
        try (TestFlags flags = TestFlags.create(dir);
             ScriptedBackend backend = ScriptedBackend.answeringEachRequest();
             ProxyFixture proxy = new ProxyFixture(flags, TestConfigs.config(flags.path(), List.of(backend.address()),
                     null, TestConfigs.limits()));
             RawHttp raw = new RawHttp(proxy.port())) {
            StringBuilder requests = new StringBuilder();
            for (int i = 0; i < sent; i++) {
                requests.append("GET /").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
            }
            raw.send(requests.toString());

            List<RawHttp.Response> answers = new ArrayList<>();
            for (RawHttp.Response r = readOrNull(raw); r != null; r = readOrNull(raw)) {
                answers.add(r);
            }
            assertTrue(answers.size() > 0 && answers.size() < sent, answers.size() + " answers");
            for (int i = 0; i < answers.size(); i++) {
                assertEquals("GET /" + i + " HTTP/1.1", answers.get(i).text(), "answers in order");
            }
            for (int i = 0; i < answers.size() - 1; i++) {
                assertNull(answers.get(i).header("connection"));
            }
            assertEquals("close", answers.get(answers.size() - 1).header("connection"));

            // The backend answered all it received before the client read the last answer.
            String received = backend.receivedSoFar(0);
            assertEquals(answers.size(), received.split("\r\n\r\n").length, "every forwarded request was answered");
        }
    }

    /** The next response, or null once the server has closed the connection. */
    private static RawHttp.Response readOrNull(RawHttp raw) throws IOException {
        try {
            return raw.read();
        } catch (IOException closed) {
            return null;
        }
    }
}
