#!/usr/bin/python3
"""Runs a command with io_uring's system calls refused with EPERM, as Docker's default seccomp
profile refuses them (and kernel.io_uring_disabled=2 does for every process): the host a daemon
must fall back to epoll on. Usage: no-io-uring.py COMMAND [ARG...]"""
import errno
import os
import sys

import seccomp

rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
for call in ("io_uring_setup", "io_uring_enter", "io_uring_register"):
    rules.add_rule(seccomp.ERRNO(errno.EPERM), call)
rules.load()
os.execvp(sys.argv[1], sys.argv[1:])
