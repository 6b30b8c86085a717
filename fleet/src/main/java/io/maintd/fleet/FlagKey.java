package io.maintd.fleet;

/** A flag key taken apart: which scope it applies to and which flag it sets. */
public record FlagKey(Scope scope, String flag) {
}
