package io.maintd.page;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AcceptHeaderTest {
    @Test
    void noAcceptHeaderGetsHtml() {
        assertFalse(AcceptHeader.prefersJson(null));
        assertFalse(AcceptHeader.prefersJson(""));
    }

    @Test
    void plainJsonGetsJson() {
        assertTrue(AcceptHeader.prefersJson("application/json"));
    }

    @Test
    void anythingGoesGetsHtmlAsCurlSends() {
        assertFalse(AcceptHeader.prefersJson("*/*"));
    }

    @Test
    void browsersGetHtml() {
        assertFalse(AcceptHeader.prefersJson(
                "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"));
    }

    @Test
    void higherWeightWins() {
        assertTrue(AcceptHeader.prefersJson("text/html;q=0.5, application/json"));
        assertFalse(AcceptHeader.prefersJson("text/html, application/json;q=0.9"));
    }

    @Test
    void jsonNamedExplicitlyBeatsAWildcardOfEqualWeight() {
        assertTrue(AcceptHeader.prefersJson("application/json, */*"));
        assertTrue(AcceptHeader.prefersJson("application/*"));
    }

    @Test
    void equalWeightAndSpecificityGetsHtml() {
        assertFalse(AcceptHeader.prefersJson("text/html, application/json"));
    }

    @Test
    void refusedJsonIsNeverChosen() {
        assertFalse(AcceptHeader.prefersJson("application/json;q=0, */*;q=0.1"));
    }

    @Test
    void parametersAndSpacesAreTolerated() {
        assertTrue(AcceptHeader.prefersJson(" application/json ; charset=utf-8 ; q=1 , text/html ; q=0.2"));
    }

    @Test
    void malformedWeightCountsAsNotAcceptable() {
        assertFalse(AcceptHeader.prefersJson("application/json;q=abc, text/html"));
    }
}
