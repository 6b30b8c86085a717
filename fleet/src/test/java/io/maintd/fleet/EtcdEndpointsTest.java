package io.maintd.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EtcdEndpointsTest {
    @Test
    void listsWithDefaultPorts() {
        assertEquals(List.of(URI.create("http://10.0.0.5:2379"), URI.create("http://etcd-2:2380"), URI.create("http://[::1]:2379")),
                EtcdEndpoints.parseList("http://10.0.0.5, http://etcd-2:2380/ ,http://[::1]"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0.5:2379", "http://", "http://u@h:1", "http://h:1/v3", "http://h:1?x", "ftp://h", "http://h:1,,"})
    void malformedEndpointsAreRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> EtcdEndpoints.parseList(text));
    }

    @Test
    void httpsIsRefusedWithAdvice() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EtcdEndpoints.parse("https://h:2379"))
                .getMessage().contains("https is not supported"));
    }
}
