package io.maintd.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FleetValueTest {
    @Test
    void roundTripsWithAndWithoutExpiry() {
        FleetValue timed = new FleetValue(1, 1_795_777_881_193L, "kernel \"upgrade\"", "alice (sudo bob)", 1_795_777_871_193L);
        assertEquals(timed, FleetValue.decode(timed.encode()));
        FleetValue plain = new FleetValue(-5, 0, "", "", 7);
        assertEquals("{\"value\":-5,\"reason\":\"\",\"by\":\"\",\"set_at\":7}", new String(plain.encode(), StandardCharsets.UTF_8));
        assertEquals(plain, FleetValue.decode(plain.encode()));
    }

    @Test
    void onlyValueIsRequiredAndUnknownFieldsAreIgnored() {
        assertEquals(new FleetValue(1, 0, "", "", 0), FleetValue.decode(bytes("{\"value\":1,\"color\":\"blue\"}")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "{}", "{\"value\":\"1\"}", "{\"value\":1.0}", "{\"value\":true}", "{\"value\":1,\"expires_at\":-1}",
        "{\"value\":1,\"expires_at\":\"soon\"}", "{\"value\":1,\"reason\":7}", "{\"value\":1,\"value\":2}", "{\"value\":1", "[{\"value\":1}]"})
    void malformedValuesAreRefused(String text) {
        assertThrows(MalformedJsonException.class, () -> FleetValue.decode(bytes(text)));
    }

    @Test
    void oversizeValuesAndLongTextAreRefused() {
        assertTrue(assertThrows(MalformedJsonException.class, () -> FleetValue.decode(new byte[FleetValue.MAX_BYTES + 1]))
                .getMessage().contains("limit is " + FleetValue.MAX_BYTES));
        assertThrows(MalformedJsonException.class,
                () -> FleetValue.decode(bytes("{\"value\":1,\"reason\":\"" + "x".repeat(FleetValue.MAX_TEXT + 1) + "\"}")));
        assertThrows(MalformedJsonException.class, () -> FleetValue.decode(new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'}));
    }

    @Test
    void hostStatusRoundTripsAndRefusesAnUnknownModeOrOverride() {
        HostStatus s = new HostStatus("drain", 3, 12, 50211, "0.1.0 \"beta\"", 1_795_777_881_193L, 4242, 1_795_777_000_000L, 118,
                List.of("maint", "weight.v2"));
        assertEquals(s, HostStatus.decode(s.encode()));
        assertThrows(MalformedJsonException.class, () -> HostStatus.decode(bytes(
                "{\"mode\":\"ready\",\"inflight\":0,\"conns\":0,\"time\":1,\"overrides\":[\"we\\\"ird\"]}")));
        assertThrows(MalformedJsonException.class,
                () -> HostStatus.decode(bytes("{\"mode\":\"up\",\"inflight\":0,\"conns\":0,\"time\":1}")));
        assertThrows(MalformedJsonException.class, () -> HostStatus.decode(bytes("{\"mode\":\"ready\"}")));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
