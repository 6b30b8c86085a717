#!/usr/bin/env python3
"""Prints the flags of a maintd flag file (layout v1, see docs/flagfile.md) as JSON.

Written from the document alone, as a check that it is enough to write a reader.
Usage: read_flags.py FILE
"""
import json, mmap, struct, sys

SLOT = struct.Struct("<qiiqqiIqqi")  # value state kind change_count updated_at pid uid expires_at revert_value name_length

def read_flags(path):
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        magic, version, header_length, slot_length, slot_count = struct.unpack_from("<5I", m, 0)
        if magic != 0x44544E4D or version not in (1, 2):
            sys.exit(f"{path}: not a layout v1 or v2 flag file (magic {magic:#010x}, version {version})")
        if len(m) != header_length + slot_count * slot_length:
            sys.exit(f"{path}: {slot_count} slots of {slot_length} bytes do not fit {len(m)} bytes")
        flags = {}
        for slot in range(slot_count):
            at = header_length + slot * slot_length
            for _ in range(16):  # a writer moved the slot while we read it: read it again
                if struct.unpack_from("<i", m, at + 8)[0] != 2:  # state first: only active slots count
                    break
                value, state, kind, count, updated, pid, uid, expires, revert, length = SLOT.unpack_from(m, at)
                name = m[at + 64:at + 64 + length].decode("ascii")
                if struct.unpack_from("<q", m, at + 16)[0] == count:
                    flags[name] = {"kind": ("flag", "counter")[kind], "slot": slot, "value": value,
                                   "change_count": count, "updated_at": updated, "writer_pid": pid,
                                   "writer_uid": uid, "expires_at": expires, "revert_value": revert}
                    break
        return flags

if __name__ == "__main__":
    print(json.dumps(read_flags(sys.argv[1]), sort_keys=True))
