package io.maintd.dist;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Debian 12 root filesystem that boots systemd, made once by debootstrap and kept outside the
 * repository under {@code /var/cache/maintd-test/rootfs-HASH}, where HASH covers the suite, the
 * variant, the mirror and the package list: changing any of them makes a new one. It is only
 * ever a read-only lower layer; every boot writes into an overlay of its own.
 */
final class DebianRootfs {
    static final Path CACHE = Path.of("/var/cache/maintd-test");
    private static final String SUITE = "bookworm";
    private static final String MIRROR = "http://deb.debian.org/debian";
    /** systemd as PID 1, the runtime the package's Depends: names, and procps for pgrep. */
    private static final List<String> PACKAGES = List.of("systemd", "systemd-sysv", "dbus",
            "openjdk-17-jre-headless", "procps");

    private DebianRootfs() {
    }

    /** The cached tree, made first if missing (about a minute and a half; needs root and debootstrap). */
    static Path get() throws IOException, InterruptedException {
        Path rootfs = CACHE.resolve("rootfs-" + key());
        if (Files.isDirectory(rootfs.resolve("usr/lib/systemd"))) {
            return rootfs;
        }
        Files.createDirectories(CACHE);
        try (FileChannel lockFile = FileChannel.open(CACHE.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock ignored = lockFile.lock()) {
            if (Files.isDirectory(rootfs.resolve("usr/lib/systemd"))) {
                return rootfs;
            }
            Path building = CACHE.resolve("building-" + key());
            Commands.run(List.of("rm", "-rf", building.toString()), 300).ok();
            Commands.run(List.of(Commands.require("debootstrap", "debootstrap").toString(), "--variant=minbase",
                    "--include=" + String.join(",", PACKAGES), SUITE, building.toString(), MIRROR), 1200).ok();
            Files.move(building, rootfs);
            return rootfs;
        }
    }

    private static String key() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(String.join("\n", SUITE, "minbase", MIRROR,
                    String.join(",", PACKAGES)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
