package io.maintd.monitor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class MonitorThreadTest {
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    @TempDir
    Path dir;

    @Test
    void ticksGoOnAfterATickThrowsAnExceptionOrAnError() throws InterruptedException {
        AtomicLong ticks = new AtomicLong();
        CountDownLatch pastTheFailures = new CountDownLatch(1);
        try (MonitorThread ignored = MonitorThread.start(now -> {
            long n = ticks.incrementAndGet();
            if (n == 1) {
                throw new IllegalStateException("first tick fails");
            }
            if (n == 2) {
                throw new InternalError("a fault occurred in an unsafe memory access operation");
            }
            if (n == 4) {
                pastTheFailures.countDown();
            }
        })) {
            assertTrue(pastTheFailures.await(30, TimeUnit.SECONDS), "ticks stopped after " + ticks.get());
        }
    }

    @Test
    void ticksSurviveTheAsynchronousFaultOfATruncatedMappingAndResumeWhenTheFileIsWhole() throws Exception {
        Path file = dir.resolve("mapped");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(1), 8191);
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, 8192);
            AtomicLong attempts = new AtomicLong();
            try (MonitorThread ignored = MonitorThread.start(now -> {
                attempts.incrementAndGet();
                // Faults while the page is past the end of the file. A load or an ordered store
                // faults with an asynchronous InternalError; an atomic read-modify-write run by
                // the interpreter crashes the JVM instead (docs/decisions.md), so none here.
                LONG.setRelease(map, 4096, (long) LONG.getAcquire(map, 4096) + 1);
            })) {
                awaitTrue(() -> (long) LONG.getAcquire(map, 4096) > 3, "ticks on the whole file");
                channel.truncate(0);
                long atTruncate = attempts.get();
                awaitTrue(() -> attempts.get() > atTruncate + 5, "ticks going on while the file is truncated");

                channel.write(ByteBuffer.allocate(1), 8191); // its length back, the page zeroed

                awaitTrue(() -> (long) LONG.getAcquire(map, 4096) > 3, "ticks writing the file again");
            }
        }
    }

    @Test
    void aStuckTickFailsTheWatchdogCheck() throws InterruptedException {
        AtomicBoolean stuck = new AtomicBoolean(true);
        CountDownLatch entered = new CountDownLatch(1);
        try (MonitorThread monitor = MonitorThread.start(now -> {
            while (stuck.get()) {
                entered.countDown();
                Thread.onSpinWait();
            }
        })) {
            assertTrue(entered.await(30, TimeUnit.SECONDS));
            BooleanSupplier ticking = monitor.ticking(Duration.ofMillis(300));
            awaitTrue(() -> !ticking.getAsBoolean(), "the watchdog check to fail while a tick hangs");
            stuck.set(false);
            awaitTrue(ticking, "the watchdog check to pass once ticks complete again");
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
