package io.maintd.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class JsonReaderTest {
    @Test
    void readsObjectsArraysStringsIntegersBooleansAndNull() {
        JsonFields o = JsonReader.parseObject(" {\"s\":\"a\\\"b\\\\c\\/\\n\\u00e9\\ud83d\\ude00\",\"n\":-42,\"z\":0,"
                + "\"t\":true,\"f\":false,\"x\":null,\"a\":[1,{\"k\":[]},\"v\"],\"o\":{}}\r\n");
        assertEquals("a\"b\\c/\né😀", o.string("s"));
        assertEquals(-42, o.integer("n"));
        assertEquals(0, o.integer("z"));
        assertTrue(o.bool("t"));
        assertEquals(false, o.bool("f"));
        assertNull(o.asMap().get("x"));
        assertEquals(3, ((List<?>) o.asMap().get("a")).size());
        assertEquals(Long.MIN_VALUE, ((Long) JsonReader.parse("-9223372036854775808")).longValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", " ", "{", "}", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "{'a':1}", "[1,]", "[1 2]", "{\"a\":1}x", "{}{}",
        "01", "-", "1.5", "1e3", "-0.0", "+1", "9223372036854775808", "NaN", "Infinity", "tru", "nul", "True",
        "\"abc", "\"a\u0001b\"", "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"",
        "\"\ud800\"", "{\"a\":1,\"a\":2}", "// c\n{}", "{\"a\":1}\u0000", "\u00a0{}", "[\"\\u０００１\"]"})
    void refusesWhatIsNotStrictJson(String text) {
        MalformedJsonException e = assertThrows(MalformedJsonException.class, () -> JsonReader.parse(text));
        assertTrue(e.getMessage().contains("offset") || e.getMessage().contains("duplicate"), e.getMessage());
    }

    @Test
    void refusesNestingDeeperThanTheLimitWithoutOverflowingTheStack() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        MalformedJsonException e = assertThrows(MalformedJsonException.class, () -> JsonReader.parse(deep));
        assertTrue(e.getMessage().contains("nested deeper than " + JsonReader.MAX_DEPTH), e.getMessage());
        JsonReader.parse("[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH));
    }

    @Test
    void duplicateKeysAreRefusedNamingTheKey() {
        MalformedJsonException e = assertThrows(MalformedJsonException.class,
                () -> JsonReader.parse("{\"value\":0,\"value\":1}"));
        assertTrue(e.getMessage().contains("duplicate key \"value\""), e.getMessage());
    }

    @Test
    void typedAccessorsNameTheFieldAndWhatWasFound() {
        JsonFields o = JsonReader.parseObject("{\"n\":\"x\\u0007y\",\"r\":\"12\",\"b\":\"%%\",\"l\":[1]}");
        assertEquals("field \"n\" should be an integer, found the string \"x?y\"",
                assertThrows(MalformedJsonException.class, () -> o.integer("n")).getMessage());
        assertEquals("field \"missing\" is missing",
                assertThrows(MalformedJsonException.class, () -> o.string("missing")).getMessage());
        assertEquals(12, o.int64("r"));
        assertEquals(0, o.int64("absent"));
        assertThrows(MalformedJsonException.class, () -> o.int64("n"));
        assertThrows(MalformedJsonException.class, () -> o.bytes("b"));
        assertThrows(MalformedJsonException.class, () -> o.objects("l"));
        assertThrows(MalformedJsonException.class, () -> JsonReader.parseObject("[1]"));
    }
}
