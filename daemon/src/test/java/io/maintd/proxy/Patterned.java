package io.maintd.proxy;

/** Body bytes whose value depends on their offset, so a dropped or reordered byte shows. */
final class Patterned {
    static final int BLOCK = 64 * 1024;

    private Patterned() {
    }

    /** Bytes for offsets 0..BLOCK-1; offsets repeat every BLOCK bytes. */
    static byte[] block() {
        byte[] block = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            block[i] = (byte) (i * 31 + (i >>> 8));
        }
        return block;
    }

    static byte at(long offset) {
        int i = (int) (offset % BLOCK);
        return (byte) (i * 31 + (i >>> 8));
    }
}
