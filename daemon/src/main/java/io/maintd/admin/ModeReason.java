package io.maintd.admin;

import io.maintd.flagfile.FlagHandle;
import io.maintd.flagfile.FlagReader;
import io.maintd.flagfile.FlagSnapshot;
import io.maintd.json.JsonObject;
import io.maintd.lifecycle.ModeSource;
import java.util.Optional;

/**
 * {@code /status}'s {@code why}: the flag that decides the mode ({@link ModeSource#decidingFlag}),
 * with its last write and any expiry, as {@code /flags} shows a flag, plus {@code "shutdown"}:
 * true while a SIGTERM's drain holds the mode at drain. {@code null} when the instance is ready.
 */
public final class ModeReason {
    private final ModeSource modes;
    private final FlagReader flags;

    public ModeReason(ModeSource modes, FlagReader flags) {
        this.modes = modes;
        this.flags = flags;
    }

    public String json() {
        FlagHandle deciding = modes.decidingFlag();
        Optional<FlagSnapshot> snapshot = deciding == null ? Optional.empty() : flags.snapshot(deciding);
        if (snapshot.isPresent()) {
            return FlagsEndpoint.json(snapshot.get()).put("shutdown", modes.shuttingDown()).toString();
        }
        return modes.shuttingDown() ? new JsonObject().put("name", (String) null).put("shutdown", true).toString() : "null";
    }
}
