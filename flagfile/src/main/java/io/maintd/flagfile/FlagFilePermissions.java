package io.maintd.flagfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Set;

/** Who may use a flag file: the checks and the words for refusing, shared by opening and creating. */
final class FlagFilePermissions {
    private FlagFilePermissions() {
    }

    /** Refuses a world-writable file before it is opened for writing: anyone could flip its flags. */
    static void refuseWorldWritable(Path path) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
            if (perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new FlagFileException(FlagFileException.Reason.WORLD_WRITABLE, path,
                        "refusing to write: the flag file is world-writable (mode " + PosixFilePermissions.toString(perms)
                                + "), so any local user could flip maintenance; fix with chmod o-w " + path);
            }
        } catch (NoSuchFileException e) {
            throw new FlagFileException(FlagFileException.Reason.NOT_FOUND, path,
                    "no such flag file (create it with 'flagctl init' or start maintd)", e);
        } catch (IOException e) {
            throw FlagFile.ioFailure(path, "cannot read permissions of", e);
        }
    }

    /** "mode rw-rw----, owner maintd, group maintd", for a permission-denied message. */
    static String ownership(Path path) {
        try {
            PosixFileAttributes a = Files.readAttributes(path, PosixFileAttributes.class);
            return "mode " + PosixFilePermissions.toString(a.permissions()) + ", owner " + a.owner().getName()
                    + ", group " + a.group().getName();
        } catch (IOException e) {
            return "attributes unreadable: " + e.getMessage();
        }
    }

    static GroupPrincipal group(Path path, String group) throws IOException {
        try {
            return path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
        } catch (UserPrincipalNotFoundException e) {
            throw new FlagFileException(FlagFileException.Reason.IO, path, "no such group \"" + group + "\"", e);
        }
    }
}
