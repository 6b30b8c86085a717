package io.maintd.flagfile;

import static io.maintd.flagfile.FlagFileLayout.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.Objects;

/**
 * Keeps the daemon's mapping of its flag file usable when another process damages the file.
 *
 * <p>A process that truncates the file takes the mapping's pages away: a load from them raises
 * SIGBUS, which HotSpot turns into an {@link InternalError} delivered at a later safepoint (the
 * load itself returns garbage), and an atomic read-modify-write run outside C2-compiled code
 * crashes the JVM (docs/decisions.md). So the keeper looks before the mapping is touched:
 * {@link #check} (first thing in every monitor tick) compares the file's length (fstat on the
 * open descriptor) with the layout's, and whether the path still names this file (stat). After
 * each tick, {@link #save} copies the file into private memory whenever its change sequence moved.
 *
 * <p>When the length is wrong (truncated, or extended, which flagctl refuses), every read and
 * write, handles included, switches to that copy, so the request path keeps the last known
 * values; then the keeper writes the copy back over the file, which restores its length and
 * contents ("hold the file length"), validates the result and switches back to the mapping. If
 * the write-back fails it keeps serving from the copy and tries again at every check. A deleted
 * or replaced path does not affect the mapping (the file lives on while mapped): the keeper
 * reports it, and reports when the path names this file again.
 *
 * <p>One thread (the daemon's monitor) calls {@link #check} and {@link #save};
 * {@link #condition()} may be read from any thread.
 */
public final class FlagFileKeeper {
    /** What the last check found; {@code problem} says it in words, null when intact. */
    public record Condition(State state, String problem) {
        static final Condition INTACT = new Condition(State.INTACT, null);
    }

    public enum State {
        /** The right length, and the path names this file. */
        INTACT,
        /** Another process changed the file's length and it could not be written back yet: serving from memory. */
        WRONG_LENGTH,
        /** The path names nothing; maintd still serves the unlinked file it mapped. */
        DELETED,
        /** The path names another file, or a link to one; flagctl writes go there, not here. */
        REPLACED;

        /** The word for {@code /status}: {@code intact}, {@code wrong-length}, {@code deleted}, {@code replaced}. */
        public String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** A change to log once: {@code error} for a new problem, else a recovery. */
    public record Event(boolean error, String message) {
    }

    private final FlagFile file;
    private final long length;
    private FlagBuffer lastGood;
    private FlagBuffer spare;
    private long lastGoodSequence;
    private long lastGoodAtMillis;
    private State path = State.INTACT;
    /** Why the last write-back failed; null when it did not. */
    private String writeBackFailure;
    private volatile Condition condition = Condition.INTACT;

    private FlagFileKeeper(FlagFile file) {
        this.file = file;
        this.length = fileLength(file.slotCount());
        this.lastGood = newCopyBuffer();
        this.spare = newCopyBuffer();
        copyMapping(lastGood);
        this.lastGoodSequence = lastGood.getLongAcquire(CHANGE_SEQUENCE_OFFSET);
        this.lastGoodAtMillis = System.currentTimeMillis();
    }

    /** A keeper for a file opened read-write (it writes the file back); it copies the file once now. */
    public static FlagFileKeeper of(FlagFile file) {
        if (!file.writable()) {
            throw new IllegalStateException(file.path() + " was opened read-only; keeping it needs write access");
        }
        return new FlagFileKeeper(file);
    }

    /** What the last {@link #check} found. */
    public Condition condition() {
        return condition;
    }

    /** True while reads and writes go to the private copy. */
    public boolean servingFromCopy() {
        return file.buffer() != file.mapping();
    }

    /**
     * Looks at the file before anything touches the mapping: its length, then its path. Serves
     * from the copy while the length is wrong, and writes it back. Returns what changed, or null.
     */
    public Event check(long nowMillis) {
        Event length = checkLength(nowMillis);
        Event path = checkPath();
        condition = servingFromCopy() ? new Condition(State.WRONG_LENGTH, wrongLength())
                : this.path == State.INTACT ? Condition.INTACT : new Condition(this.path, pathProblem());
        if (length == null || path == null) {
            return length != null ? length : path;
        }
        return new Event(length.error() || path.error(), length.message() + "; " + path.message());
    }

    /**
     * After a tick that found the file intact: copies it into private memory if its change
     * sequence moved since the last copy. The copy is kept only if the file still had its length
     * after the copy and the copy validates, so a truncation during the copy never becomes the
     * "last good" values.
     */
    public void save(long nowMillis) {
        if (servingFromCopy()) {
            return;
        }
        long sequence = file.mapping().getLongAcquire(CHANGE_SEQUENCE_OFFSET);
        if (sequence == lastGoodSequence) {
            return;
        }
        copyMapping(spare);
        if (currentLength() != length || !wellFormed(spare)) {
            return;
        }
        FlagBuffer previous = lastGood;
        lastGood = spare;
        spare = previous;
        lastGoodSequence = sequence;
        lastGoodAtMillis = nowMillis;
    }

    private Event checkLength(long nowMillis) {
        long now = currentLength();
        if (!servingFromCopy()) {
            if (now == length) {
                return null;
            }
            file.serveFrom(lastGood);
            String found = "flag file " + file.path() + " " + lengthChange(now) + " by another process; serving its last "
                    + "known values (change sequence " + lastGoodSequence + ", saved " + (nowMillis - lastGoodAtMillis)
                    + " ms before) from memory; ";
            return new Event(true, found + (writeBack() ? "wrote them back to the file (" + length
                    + " bytes), serving from it again" : "writing them back failed (" + writeBackFailure
                    + "); retrying at every check"));
        }
        if (now == length && fileValid()) {
            file.serveFrom(file.mapping());
            writeBackFailure = null;
            return new Event(false, "flag file " + file.path() + " was written back by another process; serving from it again");
        }
        String failedBefore = writeBackFailure;
        if (writeBack()) {
            return new Event(false, "wrote the saved values back to flag file " + file.path() + " (" + length
                    + " bytes); serving from it again");
        }
        return writeBackFailure.equals(failedBefore) ? null
                : new Event(true, "writing the saved values back to flag file " + file.path() + " failed: " + writeBackFailure);
    }

    /**
     * Writes the private copy over the file: all of it from offset 0 (which gives a truncated file
     * its length back), cuts anything beyond, syncs, validates, and serves from the mapping again.
     */
    private boolean writeBack() {
        try {
            ByteBuffer bytes = lastGood.bytes().duplicate().clear();
            while (bytes.hasRemaining()) {
                file.channel().write(bytes, bytes.position());
            }
            if (file.channel().size() > length) {
                file.channel().truncate(length);
            }
            file.channel().force(false);
        } catch (IOException e) {
            writeBackFailure = e.toString();
            return false;
        }
        if (!fileValid()) {
            return false;
        }
        file.serveFrom(file.mapping());
        writeBackFailure = null;
        return true;
    }

    /** The file as it is now validates as this mapping's file (sets {@link #writeBackFailure} when not). */
    private boolean fileValid() {
        try {
            int slots = FlagFileValidator.validateGeometry(file.path(), file.channel());
            if (slots != file.slotCount()) {
                writeBackFailure = "it now has " + slots + " slots, not " + file.slotCount();
                return false;
            }
            FlagFileValidator.validateContents(file.path(), file.mapping(), slots);
            return true;
        } catch (IOException | FlagFileException e) {
            writeBackFailure = e.getMessage();
            return false;
        }
    }

    private Event checkPath() {
        State now = pathNow();
        if (now == path) {
            return null;
        }
        State before = path;
        path = now;
        return now == State.INTACT
                ? new Event(false, "flag file " + file.path() + " names the file maintd serves again (it was " + before.word() + ")")
                : new Event(true, pathProblem());
    }

    private State pathNow() {
        try {
            Object key = Files.readAttributes(file.path(), BasicFileAttributes.class).fileKey();
            return Objects.equals(key, file.fileKey()) ? State.INTACT : State.REPLACED;
        } catch (NoSuchFileException e) {
            return State.DELETED;
        } catch (IOException e) {
            return path; // cannot tell (a permission change on the directory): keep what we knew
        }
    }

    private String pathProblem() {
        Path at = file.path();
        if (path == State.DELETED) {
            return "flag file " + at + " was deleted: maintd keeps serving the flags it has, but flagctl cannot reach "
                    + "them; put the file back, or restart maintd (it then creates a new file with default values)";
        }
        String by = "another file";
        if (Files.isSymbolicLink(at)) {
            try {
                by = "a symbolic link to " + Files.readSymbolicLink(at);
            } catch (IOException e) {
                by = "a symbolic link";
            }
        }
        return "flag file " + at + " was replaced by " + by + ": flagctl now changes that file, not the flags maintd "
                + "serves; restart maintd to serve it";
    }

    private String wrongLength() {
        return "flag file " + file.path() + " " + lengthChange(currentLength()) + "; serving the values saved at change "
                + "sequence " + lastGoodSequence + " from memory until they can be written back"
                + (writeBackFailure == null ? "" : " (" + writeBackFailure + ")");
    }

    private String lengthChange(long now) {
        return now < length ? "was truncated to " + now + " bytes (of " + length + ")"
                : now > length ? "grew to " + now + " bytes (of " + length + ")" : "is not a valid flag file";
    }

    /** The file's length now: fstat on the open descriptor, so it is this file's whatever the path names. */
    private long currentLength() {
        try {
            return file.channel().size();
        } catch (IOException e) {
            return -1;
        }
    }

    private boolean wellFormed(FlagBuffer copy) {
        // Either layout this build reads: a v1 file is kept as v1 (flagctl init --upgrade may raise it meanwhile).
        int version = FlagFile.layoutVersion(copy);
        if (version < LAYOUT_VERSION_1 || version > LAYOUT_VERSION || copy.getLong(MAGIC_OFFSET) != magicAndVersion(version)
                || copy.getInt(HEADER_LENGTH_OFFSET) != HEADER_LENGTH
                || copy.getInt(SLOT_LENGTH_OFFSET) != SLOT_LENGTH || copy.getInt(SLOT_COUNT_OFFSET) != file.slotCount()) {
            return false;
        }
        try {
            FlagFileValidator.validateContents(file.path(), copy, file.slotCount());
            return true;
        } catch (FlagFileException e) {
            return false;
        }
    }

    private FlagBuffer newCopyBuffer() {
        return new FlagBuffer(ByteBuffer.allocateDirect((int) length));
    }

    private void copyMapping(FlagBuffer into) {
        ByteBuffer from = file.mapping().bytes();
        into.bytes().put(0, from, 0, (int) length);
    }
}
