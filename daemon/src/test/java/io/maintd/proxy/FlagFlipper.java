package io.maintd.proxy;

import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagHandle;
import io.maintd.flagfile.FlagWriter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A separate process that writes a flag on request: for each value read from stdin it sets
 * the flag and then prints {@code set <value>}, so the parent knows the write has happened.
 * Usage: {@code FlagFlipper <flag file> <flag>}.
 */
public final class FlagFlipper {
    public static void main(String[] args) throws Exception {
        try (FlagFile file = FlagFile.openReadWrite(Path.of(args[0]))) {
            FlagWriter writer = file.writer();
            FlagHandle flag = writer.reader().handle(args[1]);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                long value = Long.parseLong(line.trim());
                writer.set(flag, value);
                System.out.println("set " + value);
                System.out.flush();
            }
        }
    }
}
