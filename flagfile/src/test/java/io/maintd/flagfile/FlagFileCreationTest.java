package io.maintd.flagfile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** createIfMissing: a whole, valid file with mode 0660 appears once, or not at all. */
@Timeout(120)
class FlagFileCreationTest {
    private static final int CREATION_RACES = 20;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "umask {0}")
    @ValueSource(strings = {"0000", "0022", "0077"})
    void createdFileHasMode0660WhateverTheUmask(String umask) throws IOException {
        try (ChildJvm creator = ChildJvm.startWithUmask(umask, "serve-creates", dir.toString())) {
            creator.send("flags");
            creator.expectLine("created true");
            assertEquals(0, creator.awaitExit());
        }

        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("flags"))));
    }

    @Test
    void createdFileIsValidAndEmpty() {
        Path file = dir.resolve("flags");

        assertTrue(FlagFile.createIfMissing(file, 16, FlagFile.DEFAULT_MODE, null));

        try (FlagFile f = FlagFile.openReadWrite(file)) {
            assertEquals(16, f.reader().capacity());
            assertEquals(List.of(), f.reader().list());
            assertEquals(0, f.reader().changeSequence());
            assertEquals(0, f.reader().daemon().pid());
        }
    }

    @Test
    void creatingAnExistingFileChangesNothing() throws IOException {
        Path file = dir.resolve("flags");
        FlagFile.createIfMissing(file, 16, FlagFile.DEFAULT_MODE, null);
        try (FlagFile f = FlagFile.openReadWrite(file)) {
            f.writer().define("maint", FlagKind.FLAG, 1);
        }
        byte[] before = FlagFileValidationTest.sha256(file);

        assertFalse(FlagFile.createIfMissing(file, 32, FlagFile.DEFAULT_MODE, null));

        assertArrayEquals(before, FlagFileValidationTest.sha256(file));
    }

    @Test
    void twoConcurrentCreatorsEndWithOneValidFile() throws IOException {
        try (ChildJvm first = ChildJvm.start("serve-creates", dir.toString());
             ChildJvm second = ChildJvm.start("serve-creates", dir.toString())) {
            for (int round = 0; round < CREATION_RACES; round++) {
                String name = "flags-" + round;
                first.send(name);
                second.send(name);
                boolean firstCreated = Boolean.parseBoolean(first.expectLine("created "));
                boolean secondCreated = Boolean.parseBoolean(second.expectLine("created "));

                assertTrue(firstCreated ^ secondCreated, name + ": first created " + firstCreated + ", second " + secondCreated);
                try (FlagFile f = FlagFile.openReadWrite(dir.resolve(name))) {
                    assertEquals(16, f.reader().capacity());
                }
            }
            assertEquals(0, first.awaitExit());
            assertEquals(0, second.awaitExit());
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(CREATION_RACES, left.count(), "no temporary file may be left behind");
        }
    }

    @Test
    void capacityOutsideTheLayoutIsRejected() {
        Path file = dir.resolve("flags");

        assertThrows(IllegalArgumentException.class, () -> FlagFile.createIfMissing(file, 0, FlagFile.DEFAULT_MODE, null));
        assertThrows(IllegalArgumentException.class, () -> FlagFile.createIfMissing(file, 65_537, FlagFile.DEFAULT_MODE, null));
        assertFalse(Files.exists(file));
    }

    @Test
    void missingDirectoryIsReportedAsNotFound() {
        Path file = dir.resolve("absent").resolve("flags");

        FlagFileException e = assertThrows(FlagFileException.class,
                () -> FlagFile.createIfMissing(file, 16, FlagFile.DEFAULT_MODE, null));

        assertEquals(FlagFileException.Reason.NOT_FOUND, e.reason());
        assertTrue(e.getMessage().contains("directory " + dir.resolve("absent") + " does not exist"), e.getMessage());
    }
}
