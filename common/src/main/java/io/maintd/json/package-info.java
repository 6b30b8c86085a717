/**
 * JSON as maintd's tools write it for scripts: flagctl's {@code --json}, the daemon's admin
 * endpoints and its JSON log lines ({@link io.maintd.json.JsonObject}). Here, beside the other
 * formats both programs share, rather than in flagfile, whose contract is the binary file.
 */
package io.maintd.json;
