package io.maintd.cli;

import io.maintd.command.CommandSpec;
import io.maintd.command.Completion;
import io.maintd.command.Option;
import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagFileLayout;
import io.maintd.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** {@code flagctl init}: creates the flag file unless it exists, and says which happened. */
final class InitCommand implements Command {
    static final Option CAPACITY = Option.valued("capacity", (char) 0, "N",
            "number of slots (flags + counters), 1.." + FlagFileLayout.MAX_SLOT_COUNT + "; default "
                    + FlagFileLayout.DEFAULT_SLOT_COUNT);
    static final Option MODE = Option.valued("mode", (char) 0, "OCTAL", "file mode, default 0660; never world-writable");
    static final Option GROUP = Option.valued("group", (char) 0, "NAME", "group owning the file (e.g. maintd)")
            .completes(Completion.GROUPS);
    static final Option UPGRADE = Option.toggle("upgrade", (char) 0,
            "raise an existing layout v1 file to v2 in place (keeps every flag; adds room for --at windows)");

    private static final CommandSpec SPEC = CommandSpec.command("init", "Create the flag file if it does not exist (idempotent).")
            .option(CAPACITY).option(MODE).option(GROUP).option(UPGRADE)
            .detail("An existing file is validated and left unchanged. The parent directory must exist:")
            .detail("it is the service's state directory, whose owner and mode are the installer's choice.")
            .detail("The audit log <file>.log is created alongside with the same mode and group.")
            .detail("New files are layout v2. --upgrade raises a v1 file (older maintd) to v2 where it is, while")
            .detail("maintd and flagctl keep using it; after that, maintd and flagctl older than v2 refuse the file.");

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Invocation in) {
        int capacity = in.args.has(CAPACITY)
                ? ArgumentValues.count("--capacity", in.args.value(CAPACITY), 1, FlagFileLayout.MAX_SLOT_COUNT)
                : FlagFileLayout.DEFAULT_SLOT_COUNT;
        Set<PosixFilePermission> mode = in.args.has(MODE)
                ? FileMode.parse("--mode", in.args.value(MODE))
                : FlagFile.DEFAULT_MODE;
        String group = in.args.value(GROUP);
        Path dir = in.file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            throw new CliFailure(ExitCode.BAD_FILE, "directory " + dir + " does not exist; flagctl init does not create it "
                    + "(create it with the service's owner, e.g. install -d -m 0770 -g maintd " + dir + ")");
        }
        boolean created = FlagFile.createIfMissing(in.file, capacity, mode, group);
        int slots;
        try (FlagFile file = in.openForReading()) {
            slots = file.slotCount();
        }
        if (created) {
            try (AuditedWrite write = AuditedWrite.open(in)) {
                write.record("init", "-", "-", "-", 0);
            }
        }
        boolean upgraded = false;
        if (in.args.has(UPGRADE) && !created) {
            try (AuditedWrite write = AuditedWrite.open(in)) {
                upgraded = write.writer.upgradeLayout();
                if (upgraded) {
                    write.record("upgrade", "-", "v" + FlagFileLayout.LAYOUT_VERSION_1, "v" + FlagFileLayout.LAYOUT_VERSION, 0);
                }
            }
        }
        int version;
        try (FlagFile file = in.openForReading()) {
            version = file.layoutVersion();
        }
        PosixFileAttributes attributes = attributes(in.file);
        String modeText = FileMode.format(attributes.permissions());
        String groupName = attributes.group().getName();
        if (in.json) {
            in.out.println(new JsonObject().put("file", in.file.toString()).put("created", created).put("capacity", slots)
                    .put("mode", modeText).put("group", groupName).put("upgraded", upgraded)
                    .put("layout_version", version));
        } else if (created) {
            in.out.println("created " + in.file + ": " + slots + " slots, mode " + modeText + ", group " + groupName);
        } else if (upgraded) {
            in.out.println("upgraded " + in.file + " in place from layout v" + FlagFileLayout.LAYOUT_VERSION_1 + " to v"
                    + FlagFileLayout.LAYOUT_VERSION + " (" + slots + " slots; every flag kept)");
        } else {
            String ignored = in.args.has(CAPACITY) && capacity != slots
                    ? "; --capacity " + capacity + " ignored (recreate the file to change it)" : "";
            in.out.println(in.file + " already exists (" + slots + " slots, mode " + modeText + ", group " + groupName
                    + ", layout v" + version + "); left unchanged" + ignored
                    + (version < FlagFileLayout.LAYOUT_VERSION ? "; flagctl init --upgrade adds room for --at windows" : ""));
        }
        return ExitCode.OK.code;
    }

    private static PosixFileAttributes attributes(Path file) {
        try {
            return Files.readAttributes(file, PosixFileAttributes.class);
        } catch (IOException e) {
            throw new CliFailure(ExitCode.FAILURE, "cannot read the attributes of " + file + ": " + e);
        }
    }
}
