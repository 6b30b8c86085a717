package io.maintd.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonObjectTest {
    @Test
    void stringsEscapeQuotesBackslashesAndControlCharacters() {
        assertEquals("{\"k\":\"a\\\"b\\\\c\\nd\\te\\u0001f\\u2028é\"}",
                new JsonObject().put("k", "a\"b\\c\nd\te\u0001f\u2028é").toString());
    }

    @Test
    void nullsNumbersNestedObjectsAndArrays() {
        assertEquals("{\"s\":null,\"n\":-3,\"o\":{\"x\":1},\"a\":[{\"y\":2},{}],\"r\":null,\"t\":null}",
                new JsonObject().put("s", (String) null).put("n", -3).put("o", new JsonObject().put("x", 1))
                        .put("a", List.of(new JsonObject().put("y", 2), new JsonObject()))
                        .putOrNull("r", false, 7).putTime("t", 0).toString());
    }

    @Test
    void timesAreIsoUtc() {
        assertEquals("{\"t\":\"2026-11-23T09:30:00.123Z\"}", new JsonObject().putTime("t", 1_795_426_200_123L).toString());
    }
}
