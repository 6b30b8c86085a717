package io.maintd.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the proxy forwards for a request target, and what it refuses. */
class RequestPathTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/", "/a/b?x=/../y", "/a//b", "/a;jsessionid=1/b", "/%41%7e", "/caf%c3%a9", "/.well-known/x",
        "/a/...", "/a/.b/..c", "*"})
    void targetWithoutDotSegmentsIsForwardedAsItCame(String target) {
        assertSame(target, RequestPath.resolve(target));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            /a/../b              | /b
            /a/./b/              | /a/b/
            /a/b/..              | /a/
            /a/.                 | /a/
            /a/..;x=1/b          | /b
            /a;v=1/../b;v=2?q=.. | /b;v=2?q=..
            /a/%2e%2E/b          | /b
            /a/.%2e;/b           | /b
            /a//../b             | /b
            /a/../b//c%7e%c3%a9  | /b/c~%C3%A9
            /..%2e/x             | /..%2e/x
            """)
    void dotSegmentsAreForwardedResolved(String target, String forwarded) {
        assertEquals(forwarded, RequestPath.resolve(target));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/..", "/a/../..", "/a/..;/../b", "/%2e%2e/x", "/a\\b", "/a%2fb", "/a%2F..%2Fb", "/a%5cb",
        "/a%00", "/a%zz", "/a%2", "/a%"})
    void pathThatCannotBeResolvedSafelyIsRefused(String target) {
        assertNull(RequestPath.resolve(target));
    }

    @Test
    void prefixesAreComparedInTheirMatchedForm() {
        assertEquals("/api/", RequestPath.matchedForm("/api/"));
        assertEquals("/b", RequestPath.matchedForm("/a/../b"));
        assertEquals("/a/b", RequestPath.matchedForm("/a;x//b"));
        assertNull(RequestPath.matchedForm("/a%2Fb"));
    }
}
