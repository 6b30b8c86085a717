package io.maintd.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FleetKeysTest {
    private final FleetKeys keys = new FleetKeys("/maintd");

    @Test
    void flagKeysOfEachScope() {
        assertEquals("/maintd/flags/all/maint", keys.flagKey(Scope.all(), "maint"));
        assertEquals("/maintd/flags/service/web/drain", keys.flagKey(Scope.service("web"), "drain"));
        assertEquals("/maintd/flags/host/web-3.example.com/weight", keys.flagKey(Scope.host("web-3.example.com"), "weight"));
        assertEquals("/maintd/flags/service/web/", keys.flagPrefix(Scope.service("web")));
    }

    @Test
    void flagKeysParseBack() {
        for (Scope scope : new Scope[] {Scope.all(), Scope.service("web"), Scope.host("h1")}) {
            assertEquals(new FlagKey(scope, "maint"), keys.parseFlagKey(keys.flagKey(scope, "maint")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/maintd/flags/all/", "/maintd/flags/all/Maint", "/maintd/flags/all/a/b", "/maintd/flags/service/web",
        "/maintd/flags/service//maint", "/maintd/flags/host/-h/maint", "/maintd/flags/host/h 1/maint", "/maintd/flags/pool/web/maint",
        "/maintd/flags/service/web/maint/", "/other/flags/all/maint", "/maintd/flags/host/h\u0000/maint"})
    void malformedFlagKeysAreRefusedNamingTheKey(String key) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> keys.parseFlagKey(key));
        assertTrue(e.getMessage().startsWith("key "), e.getMessage());
        assertTrue(e.getMessage().chars().allMatch(c -> c >= 0x20 && c < 0x7f), e.getMessage());
    }

    @Test
    void statusAndMemberKeysParseBack() {
        assertEquals("/maintd/hosts/web/h1", keys.statusKey("web", "h1"));
        assertEquals(new FleetKeys.HostKey("web", "h1"), keys.parseHostKey("/maintd/hosts/web/h1", keys.statusRoot()));
        assertEquals(new FleetKeys.HostKey("web", "h1"), keys.parseHostKey(keys.memberKey("web", "h1"), keys.membersRoot()));
        assertThrows(IllegalArgumentException.class, () -> keys.parseHostKey("/maintd/hosts/web/h1/x", keys.statusRoot()));
        assertThrows(IllegalArgumentException.class, () -> keys.parseHostKey("/maintd/hosts/web", keys.statusRoot()));
    }

    @Test
    void logKeysSortByTime() {
        assertTrue(keys.logKey(999, "ff").compareTo(keys.logKey(1000, "00")) < 0);
        assertTrue(keys.logKeyBefore(1000).compareTo(keys.logKey(999, "zz")) > 0);
        assertTrue(keys.logKeyBefore(1000).compareTo(keys.logKey(1000, "00")) < 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "maintd", "/maintd/", "//maintd", "/a//b", "/a b", "/ä"})
    void badPrefixesAreRefused(String prefix) {
        assertThrows(IllegalArgumentException.class, () -> new FleetKeys(prefix));
    }

    @Test
    void namesFollowOneGrammar() {
        assertNull(FleetKeys.nameProblem("host", "Web-3.example_com"));
        assertTrue(FleetKeys.nameProblem("host", "a".repeat(254)).contains("limit is 253"));
        assertTrue(FleetKeys.nameProblem("service", ".web").contains("position 1"));
        assertThrows(IllegalArgumentException.class, () -> Scope.service(""));
        assertThrows(IllegalArgumentException.class, () -> keys.flagKey(Scope.all(), "Maint"));
    }

    @Test
    void rangeEndOfAPrefixIsTheNextKeyAfterAllItsKeys() {
        assertArrayEquals("/maintd/flags0".getBytes(StandardCharsets.UTF_8), FleetKeys.rangeEnd("/maintd/flags/"));
        assertArrayEquals(new byte[] {'a', 'b' + 1}, FleetKeys.rangeEnd("ab"));
    }
}
