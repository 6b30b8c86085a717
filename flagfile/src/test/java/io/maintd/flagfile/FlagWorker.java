package io.maintd.flagfile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The other process in cross-process tests, started by {@link ChildJvm}. Each command does one
 * thing to a flag file and reports on stdout, one line per event, so the test can order its
 * own steps after the child's.
 */
public final class FlagWorker {
    /** The flag workers count up on to start a round together; tests define it first. */
    static final String BARRIER_FLAG = "barrier";
    private static final int ROUNDS = 10;
    private static final long BARRIER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private FlagWorker() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[1]);
        switch (args[0]) {
            case "add" -> add(file, args[2], Long.parseLong(args[3]), Integer.parseInt(args[4]),
                    args.length > 5 ? Long.parseLong(args[5]) : 0);
            case "cas" -> cas(file, args[2], Long.parseLong(args[3]), Integer.parseInt(args[4]));
            case "define-race" -> defineRace(file, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "hold-daemon-lock" -> holdDaemonLock(file);
            case "serve-sets" -> serveSets(file, args[2]);
            case "open" -> open(file, args[2].equals("write"), args[3]);
            case "serve-creates" -> serveCreates(file);
            case "churn" -> churn(file, Long.parseLong(args[2]), args[3].split(","));
            case "keep" -> keep(file, args[2]);
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    /**
     * Adds 1 {@code count} times, busy-waiting {@code gapNanos} between adds; reports how often
     * another process's add landed between two of ours within a round.
     */
    private static void add(Path file, String flag, long count, int parties, long gapNanos) {
        try (FlagFile f = FlagFile.openReadWrite(file)) {
            FlagWriter w = f.writer();
            FlagHandle h = w.reader().handle(flag);
            long interleaved = 0;
            for (int round = 1; round <= ROUNDS; round++) {
                awaitParties(w, round, parties);
                long previous = w.addAndGet(h, 1);
                for (long i = 1; i < perRound(count); i++) {
                    for (long until = System.nanoTime() + gapNanos; gapNanos > 0 && System.nanoTime() < until; ) {
                        Thread.onSpinWait(); // a gap without a syscall: parking would sleep for ~50 us
                    }
                    long now = w.addAndGet(h, 1);
                    if (now != previous + 1) {
                        interleaved++;
                    }
                    previous = now;
                }
            }
            System.out.println("done " + interleaved);
        }
    }

    /** Increments {@code count} times by compare-and-set; reports how many CAS attempts lost. */
    private static void cas(Path file, String flag, long count, int parties) {
        try (FlagFile f = FlagFile.openReadWrite(file)) {
            FlagWriter w = f.writer();
            FlagHandle h = w.reader().handle(flag);
            long lost = 0;
            for (int round = 1; round <= ROUNDS; round++) {
                awaitParties(w, round, parties);
                for (long i = 0; i < perRound(count); i++) {
                    long seen = h.get();
                    while (!w.compareAndSet(h, seen, seen + 1)) {
                        lost++;
                        seen = h.get();
                    }
                }
            }
            System.out.println("done " + lost);
        }
    }

    /**
     * Writers restart together this many times: one start could leave one process descheduled
     * until the other is done, ten in a row cannot.
     */
    private static long perRound(long count) {
        if (count % ROUNDS != 0) {
            throw new IllegalArgumentException(count + " writes do not split into " + ROUNDS + " rounds");
        }
        return count / ROUNDS;
    }

    /** Defines race-0, race-1, ... each the moment every party reached that round. */
    private static void defineRace(Path file, int rounds, int parties) {
        try (FlagFile f = FlagFile.openReadWrite(file)) {
            FlagWriter w = f.writer();
            int created = 0;
            for (int round = 1; round <= rounds; round++) {
                awaitParties(w, round, parties);
                if (w.define("race-" + round, FlagKind.FLAG, WriterIdentity.PID).created()) {
                    created++;
                }
            }
            System.out.println("done " + created);
        }
    }

    /** Takes the daemon lock and holds it until stdin ends, or prints why it was refused. */
    private static void holdDaemonLock(Path file) throws IOException {
        try (FlagFile f = FlagFile.openReadWrite(file); DaemonLock lock = f.writer().lockForDaemon()) {
            System.out.println("locked " + WriterIdentity.PID);
            awaitEndOfInput();
        } catch (FlagFileException e) {
            System.out.println("refused " + e.reason() + " " + e.getMessage());
        }
    }

    /** Sets the flag to each number read from stdin; "done N" is printed after set returned. */
    private static void serveSets(Path file, String flag) throws IOException {
        try (FlagFile f = FlagFile.openReadWrite(file)) {
            FlagWriter w = f.writer();
            FlagHandle h = w.reader().handle(flag);
            BufferedReader in = stdin();
            for (String line; (line = in.readLine()) != null; ) {
                long value = Long.parseLong(line.strip());
                w.set(h, value);
                System.out.println("done " + value);
            }
        }
    }

    /** Opens the file and reads one flag, or prints how the open was refused. */
    private static void open(Path file, boolean write, String flag) {
        try (FlagFile f = write ? FlagFile.openReadWrite(file) : FlagFile.openReadOnly(file)) {
            System.out.println("ok " + f.reader().handle(flag).get());
        } catch (FlagFileException e) {
            System.out.println("refused " + e.reason() + " " + e.getMessage());
        }
    }

    /** Creates {@code dir/NAME} for each NAME read from stdin, reporting whether this call made it. */
    private static void serveCreates(Path dir) throws IOException {
        BufferedReader in = stdin();
        for (String line; (line = in.readLine()) != null; ) {
            boolean created = FlagFile.createIfMissing(dir.resolve(line.strip()), 16, FlagFile.DEFAULT_MODE, null);
            System.out.println("created " + created);
        }
    }

    /**
     * For {@code millis}, deletes the flag of each name in turn and defines the next one in its
     * place (slots are reused at once), then writes a few values to it; every value flag number
     * {@code i} ever holds is {@link #tagged(int, long) tagged} with {@code i}. Prints "started"
     * after the first round, and "done N" with the number of definitions.
     */
    private static void churn(Path file, long millis, String[] names) {
        try (FlagFile f = FlagFile.openReadWrite(file)) {
            FlagWriter w = f.writer(0);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            long definitions = 0;
            for (int round = 0; round == 0 || System.nanoTime() < deadline; round++) {
                for (int i = 0; i < names.length; i++) {
                    w.delete(names[(i + names.length - 1) % names.length]);
                    FlagHandle h = w.define(names[i], FlagKind.FLAG, tagged(i, 1)).handle();
                    definitions++;
                    for (long n = 2; n <= 4; n++) {
                        w.set(h, tagged(i, n));
                    }
                }
                if (round == 0) {
                    System.out.println("started");
                }
            }
            System.out.println("done " + definitions);
        }
    }

    /**
     * Keeps the file as the daemon does: on "check", runs {@link FlagFileKeeper#check} and prints
     * "checked -" or "checked error|ok MESSAGE", then "read VALUE STATE" for the flag; on "save",
     * saves a copy and prints "saved".
     */
    private static void keep(Path file, String flag) throws IOException {
        try (FlagFile f = FlagFile.openReadWrite(file)) {
            FlagFileKeeper keeper = FlagFileKeeper.of(f);
            FlagHandle h = f.reader().handle(flag);
            System.out.println("keeping");
            BufferedReader in = stdin();
            for (String line; (line = in.readLine()) != null; ) {
                if (line.equals("save")) {
                    keeper.save(System.currentTimeMillis());
                    System.out.println("saved");
                    continue;
                }
                FlagFileKeeper.Event event = keeper.check(System.currentTimeMillis());
                System.out.println("checked " + (event == null ? "-" : (event.error() ? "error " : "ok ") + event.message()));
                System.out.println("read " + h.get() + " " + keeper.condition().state());
            }
        }
    }

    /** A value that says which flag it belongs to: the flag's number in the high half. */
    static long tagged(int flag, long n) {
        return ((long) (flag + 1) << 32) | n;
    }

    /**
     * A cross-process barrier in the flag file itself: round r opens once the barrier flag
     * reaches r * parties. Spinning (not parking) so that both sides leave within nanoseconds
     * of each other, which is the point of a race test.
     */
    private static void awaitParties(FlagWriter w, int round, int parties) {
        FlagHandle barrier = w.reader().handle(BARRIER_FLAG);
        w.addAndGet(barrier, 1);
        long target = (long) round * parties;
        long deadline = System.nanoTime() + BARRIER_TIMEOUT_NANOS;
        for (int spins = 1; barrier.get() < target; spins++) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("barrier round " + round + " not reached: " + barrier.get() + " of " + target);
            }
            if (spins % 1024 == 0) {
                Thread.yield(); // on a busy 2-core machine, let the other party run
            } else {
                Thread.onSpinWait();
            }
        }
    }

    private static void awaitEndOfInput() throws IOException {
        BufferedReader in = stdin();
        while (in.readLine() != null) {
            // The test closes stdin when the child should let go.
        }
    }

    private static BufferedReader stdin() {
        return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    }
}
