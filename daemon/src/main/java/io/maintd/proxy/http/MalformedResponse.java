package io.maintd.proxy.http;

/**
 * The server sent bytes that are no well-formed response, at this point of the stream; the
 * decoder reads nothing more from the connection.
 */
public record MalformedResponse(String reason) {
}
