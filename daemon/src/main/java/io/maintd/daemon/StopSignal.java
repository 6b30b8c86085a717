package io.maintd.daemon;

import java.util.concurrent.CountDownLatch;

/** Serves until the JVM is asked to stop (SIGINT, SIGTERM), then closes what was started. */
final class StopSignal {
    private StopSignal() {
    }

    static ExitCode awaitThenClose(AutoCloseable running) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                System.err.println("maintd: while stopping: " + e);
            }
        }, "maintd-shutdown"));
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ExitCode.OK;
    }
}
