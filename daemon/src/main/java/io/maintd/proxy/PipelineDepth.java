package io.maintd.proxy;

/**
 * How many requests a client connection has decoded whose final responses have not been
 * written, bounded by {@link OneMessagePerRead#PIPELINE_DEPTH} as Netty's
 * {@code HttpServerCodec} bounds it: the decoder admits each request here and the encoder
 * counts each final response (proxy pages and forwarded heads alike, since a forwarded head no
 * longer passes through Netty's encoder, whose own count would never go down).
 */
final class PipelineDepth {
    private int unanswered;

    /** False when the client is already {@link OneMessagePerRead#PIPELINE_DEPTH} requests ahead. */
    boolean admit() {
        if (unanswered >= OneMessagePerRead.PIPELINE_DEPTH) {
            return false;
        }
        unanswered++;
        return true;
    }

    /** A final (non-1xx) response head went out. */
    void answered() {
        if (unanswered > 0) {
            unanswered--;
        }
    }
}
