package io.maintd.admin;

import io.maintd.flagfile.FlagHandle;
import io.maintd.flagfile.FlagReader;
import java.util.function.Supplier;

/** Reads the current {@link ServiceMode} from the {@code maint} and {@code drain} flags: two acquire loads. */
public final class ModeReader implements Supplier<ServiceMode> {
    private final FlagHandle maint;
    private final FlagHandle drain;

    public ModeReader(FlagReader flags) {
        this.maint = flags.handle("maint");
        this.drain = flags.handle("drain");
    }

    @Override
    public ServiceMode get() {
        return ServiceMode.of(maint.get(), drain.get());
    }
}
