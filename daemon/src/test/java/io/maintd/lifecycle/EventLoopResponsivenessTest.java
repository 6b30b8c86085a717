package io.maintd.lifecycle;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.net.Transport;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class EventLoopResponsivenessTest {
    private final EventLoopGroup group = Transport.preferred().newGroup(2, "responsiveness-test");

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void loopsThatRunTheirProbesAreHealthy() throws Exception {
        EventLoopResponsiveness check = new EventLoopResponsiveness(group);
        assertTrue(check.getAsBoolean());
        awaitProbesAnswered();
        assertTrue(check.getAsBoolean());
    }

    @Test
    void aStuckLoopIsUnhealthyUntilItRunsAgain() throws Exception {
        EventLoopResponsiveness check = new EventLoopResponsiveness(group);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch stuck = new CountDownLatch(1);
        group.next().execute(() -> {
            stuck.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(stuck.await(10, TimeUnit.SECONDS));
        check.getAsBoolean(); // hands out probes; the stuck loop cannot run its one
        assertFalse(check.getAsBoolean());
        release.countDown();
        awaitProbesAnswered();
        assertTrue(check.getAsBoolean());
    }

    /** Every loop runs tasks in order, so once a later task ran, the earlier probe did too. */
    private void awaitProbesAnswered() {
        group.forEach(loop -> loop.submit(() -> { }).syncUninterruptibly());
    }
}
