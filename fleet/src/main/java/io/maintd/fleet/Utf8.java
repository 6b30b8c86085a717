package io.maintd.fleet;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Bytes from etcd as text, refusing what is not UTF-8 instead of replacing it silently. */
final class Utf8 {
    private Utf8() {
    }

    static String strict(byte[] bytes) {
        return strict(ByteBuffer.wrap(bytes));
    }

    static String strict(ByteBuffer bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedJsonException("not UTF-8 text");
        }
    }
}
