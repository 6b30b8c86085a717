package io.maintd.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlagPrecedenceTest {
    private static final FleetKeys KEYS = new FleetKeys("/maintd");

    private static FlagSetting setting(Scope scope, String flag, long value, long expiresAt, long revision) {
        return new FlagSetting(KEYS.flagKey(scope, flag), new FlagKey(scope, flag), new FleetValue(value, expiresAt, "", "", 0), revision);
    }

    @Test
    void hostBeatsServiceBeatsAllWhateverTheOrder() {
        FlagSetting all = setting(Scope.all(), "maint", 1, 0, 10);
        FlagSetting service = setting(Scope.service("web"), "maint", 2, 0, 11);
        FlagSetting host = setting(Scope.host("h1"), "maint", 3, 0, 12);
        FlagSetting drain = setting(Scope.all(), "drain", 1, 0, 13);
        for (List<FlagSetting> order : List.of(List.of(all, service, host, drain), List.of(host, drain, service, all))) {
            assertEquals(Map.of("maint", host, "drain", drain), FlagPrecedence.effective(order, 0));
        }
        assertEquals(Map.of("maint", service), FlagPrecedence.effective(List.of(all, service), 0));
    }

    @Test
    void anExpiredValueLetsTheNextScopeShowThrough() {
        FlagSetting all = setting(Scope.all(), "maint", 1, 0, 10);
        FlagSetting service = setting(Scope.service("web"), "maint", 0, 1000, 11);
        assertEquals(Map.of("maint", service), FlagPrecedence.effective(List.of(all, service), 999));
        assertEquals(Map.of("maint", all), FlagPrecedence.effective(List.of(all, service), 1000));
        assertEquals(Map.of(), FlagPrecedence.effective(List.of(service), 1000));
    }
}
