package io.maintd.proxy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * A proxy in its own JVM, so a test can bound its memory with -Xmx and
 * -XX:MaxDirectMemorySize. Usage: {@code ProxyProcess <flag dir> <backend port>}; prints
 * {@code port N} once listening and exits when stdin closes.
 */
public final class ProxyProcess {
    public static void main(String[] args) throws Exception {
        try (TestFlags flags = TestFlags.create(Path.of(args[0]));
             ProxyFixture proxy = new ProxyFixture(flags, TestConfigs.config(flags.path(),
                     List.of(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1]))), null,
                     TestConfigs.limits()))) {
            System.out.println("port " + proxy.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // Runs until the parent closes our stdin.
            }
        }
    }
}
