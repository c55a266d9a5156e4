#!/usr/bin/python3
"""Generates differential test vectors for varsgen's x86 interpreter from unicorn (QEMU TCG).

Run with Debian's /usr/bin/python3 and python3-unicorn 2.0.1; needs nasm. Output goes to
emulator/src/test/resources/cpu-vectors/<group>.vec.gz (see docs/cpu-testing.md for the format).

Each vector is ONE instruction run on unicorn in 16-bit real mode, 32-bit flat protected mode
or 64-bit long mode, from randomized registers, flags and memory (fixed seed), with the state
before and after and the exception it raised, if any.
"""
import argparse
import gzip
import math
import os
import random
import re
import subprocess
import struct
import sys
import tempfile

import unicorn
from unicorn import Uc, UcError, UC_ARCH_X86, UC_MODE_16, UC_MODE_32, UC_MODE_64, UC_HOOK_INTR, UC_HOOK_INSN
from unicorn import UC_ERR_INSN_INVALID
from unicorn import x86_const as X

GENERATOR_VERSION = 1
SEED = 20260
RAM_SIZE = 0x200000            # unicorn maps 0..2 MiB; the Java harness uses the same size
CODE = 0x10100                 # linear address of the instruction in every mode
CS16 = 0x1000                  # real mode: CS base 0x10000, IP 0x0100
DS16 = 0x2000                  # real mode: DS = ES = SS = FS = GS, base 0x20000
DATA_LO, DATA_HI = 0x21000, 0x23000   # where memory operands point (linear)
LOW_LO, LOW_HI = 0x4000, 0x8000       # 16-bit addressing in flat 32-bit mode stays below 64 KiB
STACK = 0x2F000                # initial stack top (linear); real mode SP = 0xF000
MXCSR_DEFAULT = 0x1F80
FCW_DEFAULT = 0x37F
CR4_OSFXSR_OSXMMEXCPT = 0x600
# mov eax, 0x600; mov cr4, eax (16-bit code needs the operand-size prefix)
SET_CR4 = {16: bytes.fromhex("66b8000600000f22e0"), 32: bytes.fromhex("b8000600000f22e0"),
           64: bytes.fromhex("b8000600000f22e0")}
FLAGS_COMPARE = 0x244FD5       # CF PF AF ZF SF TF IF DF OF IOPL NT AC ID
STATUS = 0x8D5                 # CF PF AF ZF SF OF

GPR64 = ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
         "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"]
GPR32 = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"] + [f"r{i}d" for i in range(8, 16)]
GPR16 = ["ax", "cx", "dx", "bx", "sp", "bp", "si", "di"] + [f"r{i}w" for i in range(8, 16)]
GPR8_REX = ["al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil"] + [f"r{i}b" for i in range(8, 16)]
GPR8_LEGACY = ["al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"]
UC64 = [getattr(X, "UC_X86_REG_" + n.upper()) for n in GPR64]
# unicorn 2.0.1 drops bits 64-127 of XMM8-15 through the XMM ids, both ways; the YMM ids work
XMM = [getattr(X, f"UC_X86_REG_YMM{i}") for i in range(16)]
UC32 = [getattr(X, "UC_X86_REG_" + n.upper()) for n in GPR32[:8]]
SIZE_KW = {8: "byte", 16: "word", 32: "dword", 64: "qword"}
SUFFIX = {8: "b", 16: "w", 32: "d", 64: "q"}
SREGS = ["es", "cs", "ss", "ds", "fs", "gs"]
UCSEG = [getattr(X, "UC_X86_REG_" + n.upper()) for n in SREGS]
CONDS = ["o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"]
RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI = range(8)


def io_read(port, size):
    """What every I/O port reads in the vectors (the Java harness's IoBus computes the same)."""
    return (((port * 0x9E37) ^ 0x5A5AA5A5) + size * 0x01010101) & mask(8 * size)


def default_gpr(mode, i):
    """Registers a vector does not list hold this filler (the Java side uses the same rule)."""
    return (0x5A5A5A00 | i) if mode != 64 else (0x5A5A5A5A5A5A5A00 | i)


def mask(bits):
    return (1 << bits) - 1


class Case:
    """One vector's input: the instruction text (nasm syntax) and the state it starts from."""

    def __init__(self, group, mode, text):
        self.group, self.mode, self.text = group, mode, text
        self.regs = {}            # gpr index -> value
        self.flags = 0x2
        self.mem = {}             # linear address -> byte
        self.xmm = {}             # xmm index -> 128-bit int
        self.mxcsr = None
        self.fcw = FCW_DEFAULT    # x87 control word
        self.fsw = 0              # x87 status word (TOP stays 0: nothing is pushed)
        self.segs = {}            # real mode only: segment register index -> selector
        self.flag_mask = FLAGS_COMPARE
        self.branch = False       # stop after one instruction by count, not at the next address
        self.code = None

    def set(self, i, v):
        self.regs[i] = v & (mask(64) if self.mode == 64 else mask(32))

    def put(self, addr, data):
        for k, b in enumerate(data):
            self.mem[addr + k] = b


class Gen:
    def __init__(self, rng):
        self.r = rng

    # ---- values -------------------------------------------------------------------------------
    def val(self, bits, mode):
        """A random register value: often an edge value of the operand size, upper bits random."""
        r = self.r
        full = r.getrandbits(64 if mode == 64 else 32)
        if r.random() < 0.45:
            m = mask(bits)
            edge = r.choice([0, 1, 2, m, m - 1, 1 << (bits - 1), (1 << (bits - 1)) - 1,
                             (1 << (bits - 1)) + 1, 0x0F & m, 0x10 & m, 0x7F & m, 0x80 & m,
                             r.getrandbits(4), m ^ 0xF])
            return (full & ~m) | (edge & m)
        return full

    def flags(self, df=None):
        r = self.r
        f = 0x2
        for b in (0, 2, 4, 6, 7, 11):
            if r.random() < 0.5:
                f |= 1 << b
        if (df is None and r.random() < 0.2) or df:
            f |= 1 << 10
        if r.random() < 0.5:
            f |= 1 << 9
        return f

    # ---- operands -------------------------------------------------------------------------
    def regs_avail(self, mode):
        return [i for i in range(16 if mode == 64 else 8) if i != RSP]

    def regname(self, i, bits, rex8=True):
        if bits == 64:
            return GPR64[i]
        if bits == 32:
            return GPR32[i]
        if bits == 16:
            return GPR16[i]
        return GPR8_REX[i] if rex8 else GPR8_LEGACY[i]

    def pick_regs(self, case, n, bits, exclude=()):
        """n distinct registers for an instruction; 8-bit ones either all legacy (AH..BH
        possible) or all REX-style (SPL.., R8B..), as one instruction cannot mix them."""
        mode = case.mode
        pool = [i for i in self.regs_avail(mode) if i not in exclude]
        if bits == 8:
            legacy = mode != 64 or (self.r.random() < 0.4 and not any(i >= 8 for i in exclude))
            if legacy:
                pool8 = [i for i in range(8) if (i & 3) not in exclude]
                chosen = self.r.sample(pool8, n)
                return [(i & 3, GPR8_LEGACY[i], i >= 4) for i in chosen]
            chosen = self.r.sample(pool, n)
            return [(i, GPR8_REX[i], False) for i in chosen]
        chosen = self.r.sample(pool, n)
        return [(i, self.regname(i, bits), False) for i in chosen]

    def set_reg_val(self, case, reg, bits):
        """Sets a random value into a register operand (reg = (index, name, high8))."""
        i, _, high = reg
        v = self.val(bits, case.mode)
        if high:
            old = case.regs.get(i, self.val(8, case.mode))
            v = (old & ~0xFF00) | ((v & 0xFF) << 8)
        case.set(i, v)
        return v

    def mem(self, case, bits, asize=None, exclude=(), target=None, rip_ok=True):
        """A memory operand: returns (text without size keyword, linear address, regs used).
        The address registers get values that make the effective address hit the data area."""
        r, mode = self.r, case.mode
        if asize is None:
            asize = mode
            if r.random() < 0.15:
                asize = {16: 32, 32: 16, 64: 32}[mode]
        nbytes = max(1, bits // 8)
        if target is None:
            if asize == 16 and mode == 32:
                target = r.randrange(LOW_LO, LOW_HI - 64)
            else:
                target = r.randrange(DATA_LO, DATA_HI - 64)
        seg_base = DS16 * 16 if mode == 16 else 0
        off = target - seg_base
        used = []
        if asize == 16:
            combos = [("bx", "si"), ("bx", "di"), ("bp", "si"), ("bp", "di"), ("si",), ("di",), ("bx",), ("bp",), ()]
            regs_of = {"bx": RBX, "si": RSI, "di": RDI, "bp": RBP}
            combos = [c for c in combos if not any(regs_of[n] in exclude for n in c)]
            combo = r.choice(combos)
            disp = r.choice([0, r.randrange(-128, 128), r.randrange(-0x8000, 0x8000)]) if combo else off
            rest = (off - disp) & 0xFFFF
            vals = []
            if len(combo) == 2:
                a = r.randrange(0, 0x10000)
                vals = [a, (rest - a) & 0xFFFF]
            elif len(combo) == 1:
                vals = [rest]
            for n, v in zip(combo, vals):
                i = regs_of[n]
                upper = r.getrandbits(16) << 16 if mode != 64 else 0
                case.set(i, upper | v)
                used.append(i)
            parts = list(combo)
            text = "+".join(parts) if parts else ""
            if disp or not parts:
                text = (text + ("%+d" % disp if parts else "0x%x" % (disp & 0xFFFF)))
            return "[" + text + "]", target, used
        if mode == 64 and asize == 64 and r.random() < 0.12 and rip_ok:
            # RIP-relative: nasm's $ is this instruction's start, the CPU adds to the next one's
            return "[rel $%+d]" % (target - CODE), target, used
        pool = [i for i in self.regs_avail(mode) if i not in exclude]
        if mode != 64 or asize != 64:
            pool = [i for i in pool if i < 8]
        names = GPR64 if asize == 64 else GPR32
        amask = mask(asize)
        shape = r.choice(["b", "bd", "bi", "bid", "id", "d"] if pool else ["d"])
        disp = 0
        if "d" in shape:
            disp = r.choice([r.randrange(-128, 128), r.randrange(-0x10000, 0x10000)])
        base = idx = None
        text = []
        scale = 1
        rest = (off - disp) & amask
        if "i" in shape:
            idx = r.choice(pool)
            scale = r.choice([1, 2, 4, 8])
        if "b" in shape:
            base = r.choice(pool + ([RSP] if RSP not in exclude and "i" in shape and r.random() < 0.2 else []))
            if base == idx:
                idx = None
        if shape == "d" or (base is None and idx is None):
            return "[0x%x]" % off, target, used
        if idx is not None:
            iv = r.randrange(0, 0x40)
            if r.random() < 0.2:
                iv = (-iv) & amask
            rest = (rest - iv * scale) & amask
            text.append("%s*%d" % (names[idx], scale))
            used.append(idx)
            upper = r.getrandbits(32) << 32 if (mode == 64 and asize == 32) else 0
            case.set(idx, upper | iv)
        if base is not None:
            text.insert(0, names[base])
            used.append(base)
            upper = r.getrandbits(32) << 32 if (mode == 64 and asize == 32 and base != RSP) else 0
            case.set(base, upper | rest)
        elif idx is not None:
            # index only: the displacement carries the rest
            disp = (disp + rest) & amask
            if disp >= 1 << (asize - 1):
                disp -= 1 << asize
            if asize == 64 and not -0x80000000 <= disp < 0x80000000:
                disp = rest
        s = "+".join(text)
        if disp:
            s += "%+d" % disp
        return "[" + s + "]", target, used

    def fill(self, case, addr, n):
        case.put(addr, bytes(self.r.getrandbits(8) for _ in range(n)))


# ------------------------------------------------------------------------------------------------
# Forms. Each generator yields Case objects for one mode.
# ------------------------------------------------------------------------------------------------

def sizes_for(mode, with8=True):
    s = [8, 16, 32] if with8 else [16, 32]
    if mode == 64:
        s.append(64)
    return s


def imm_for(g, bits, kind):
    r = g.r
    if kind == "imm8s":
        return r.choice([0, 1, -1, 0x7F, -0x80, r.randrange(-128, 128)])
    width = min(bits, 32)
    v = r.choice([0, 1, mask(width), 1 << (width - 1), r.getrandbits(width), 0x7F, 0x80])
    if bits == 64 and v >= 1 << 31:
        v -= 1 << 32    # sign-extended imm32
    return v


def fmt_imm(v):
    return "%d" % v if v < 0 else "0x%x" % v


def alu_cases(g, mode, n):
    ops = ["add", "adc", "sub", "sbb", "and", "or", "xor", "cmp"]
    for op in ops + ["test"]:
        for bits in sizes_for(mode):
            kw = SIZE_KW[bits]
            ikw = "strict " + SIZE_KW[bits] if bits > 8 else ""
            for form in ["rr", "rm", "mr", "ri", "mi", "ri8", "mi8", "acc", "lock"]:
                if op == "test" and form in ("rm", "ri8", "mi8"):
                    continue
                if form in ("ri8", "mi8") and bits == 8:
                    continue
                if form == "lock" and op in ("cmp", "test"):
                    continue
                for _ in range(n):
                    c = Case("alu", mode, "")
                    c.flags = g.flags()
                    if form == "rr":
                        a, b = g.pick_regs(c, 2, bits)
                        g.set_reg_val(c, a, bits)
                        g.set_reg_val(c, b, bits)
                        if g.r.random() < 0.1:
                            b = a   # same register both sides (xor eax, eax, sub r, r)
                        c.text = f"{op} {a[1]}, {b[1]}"
                    elif form in ("rm", "mr", "lock"):
                        m, addr, used = g.mem(c, bits)
                        (a,) = g.pick_regs(c, 1, bits, exclude=used)
                        g.set_reg_val(c, a, bits)
                        g.fill(c, addr, bits // 8)
                        if form == "rm":
                            c.text = f"{op} {a[1]}, {kw} {m}"
                        else:
                            c.text = f"{'lock ' if form == 'lock' else ''}{op} {kw} {m}, {a[1]}"
                    elif form == "ri":
                        (a,) = g.pick_regs(c, 1, bits)
                        g.set_reg_val(c, a, bits)
                        # strict keeps nasm from choosing the imm8 form
                        c.text = f"{op} {a[1]}, {ikw} {fmt_imm(imm_for(g, bits, 'imm'))}"
                    elif form == "mi":
                        m, addr, used = g.mem(c, bits)
                        g.fill(c, addr, bits // 8)
                        c.text = f"{op} {kw} {m}, {ikw} {fmt_imm(imm_for(g, bits, 'imm'))}"
                    elif form == "ri8":
                        (a,) = g.pick_regs(c, 1, bits)
                        g.set_reg_val(c, a, bits)
                        c.text = f"{op} {a[1]}, byte {fmt_imm(imm_for(g, bits, 'imm8s'))}"
                    elif form == "mi8":
                        m, addr, used = g.mem(c, bits)
                        g.fill(c, addr, bits // 8)
                        c.text = f"{op} {kw} {m}, byte {fmt_imm(imm_for(g, bits, 'imm8s'))}"
                    elif form == "acc":
                        c.set(RAX, g.val(bits, mode))
                        acc = g.regname(RAX, bits)
                        c.text = f"{op} {acc}, {ikw} {fmt_imm(imm_for(g, bits, 'imm'))}"
                    yield c


def unary_cases(g, mode, n):
    for op in ["inc", "dec", "neg", "not"]:
        for bits in sizes_for(mode):
            for form in ["r", "m"]:
                for _ in range(n):
                    c = Case("unary", mode, "")
                    c.flags = g.flags()
                    if form == "r":
                        (a,) = g.pick_regs(c, 1, bits)
                        g.set_reg_val(c, a, bits)
                        c.text = f"{op} {a[1]}"
                    else:
                        m, addr, used = g.mem(c, bits)
                        g.fill(c, addr, bits // 8)
                        if g.r.random() < 0.5:
                            c.put(addr, (g.r.choice([0, mask(bits), 1 << (bits - 1), (1 << (bits - 1)) - 1])
                                         ).to_bytes(bits // 8, "little"))
                        # LOCK NEG is left out: QEMU 5 computes its SF/ZF/PF from the old value
                        lock = g.r.random() < 0.2 and op != "neg"
                        c.text = f"{'lock ' if lock else ''}{op} {SIZE_KW[bits]} {m}"
                    yield c


def shift_counts(bits):
    return [0, 1, 2, bits - 1, bits, bits + 1, 31, 32, 33, 63, 64, 65, 0xFF, 0x80]


def shift_cases(g, mode, n):
    for op in ["rol", "ror", "rcl", "rcr", "shl", "shr", "sar"]:
        for bits in sizes_for(mode):
            for form in ["1", "cl", "imm", "m1", "mcl", "mimm"]:
                counts = shift_counts(bits) if form in ("cl", "imm", "mcl", "mimm") else [1] * 3
                for k in range(n + (len(counts) if form in ("cl", "imm") else 0)):
                    c = Case("shift", mode, "")
                    c.flags = g.flags()
                    count = counts[k] if k < len(counts) and form in ("cl", "imm") else g.r.choice(counts + [g.r.randrange(256)])
                    if form.startswith("m"):
                        m, addr, used = g.mem(c, bits, exclude=(RCX,))
                        g.fill(c, addr, bits // 8)
                        dst = f"{SIZE_KW[bits]} {m}"
                    else:
                        (a,) = g.pick_regs(c, 1, bits, exclude=(RCX,) if form == "cl" else ())
                        g.set_reg_val(c, a, bits)
                        dst = a[1]
                    if form in ("1", "m1"):
                        c.text = f"{op} {dst}, 1"
                    elif form in ("cl", "mcl"):
                        c.set(RCX, (g.val(32, mode) & ~0xFF) | count)
                        c.text = f"{op} {dst}, cl"
                    else:
                        c.text = f"{op} {dst}, 0x{count:x}"
                    yield c


def shxd_cases(g, mode, n):
    for op in ["shld", "shrd"]:
        for bits in [16, 32] + ([64] if mode == 64 else []):
            for form in ["imm", "cl", "mimm", "mcl"]:
                counts = [0, 1, 2, 7, bits - 1, bits, bits + 1, 31, 32, 63, 64, 200]
                for k in range(n + 4):
                    c = Case("shxd", mode, "")
                    c.flags = g.flags()
                    count = g.r.choice(counts)
                    if form.startswith("m"):
                        # QEMU 5 forgets the imm8 of SHLD/SHRD when it adds RIP to a
                        # RIP-relative displacement (it addresses one byte too low)
                        m, addr, used = g.mem(c, bits, exclude=(RCX,), rip_ok=form != "mimm")
                        g.fill(c, addr, bits // 8)
                        (s,) = g.pick_regs(c, 1, bits, exclude=used + [RCX])
                        dst = f"{SIZE_KW[bits]} {m}"
                    else:
                        a, s = g.pick_regs(c, 2, bits, exclude=(RCX,))
                        g.set_reg_val(c, a, bits)
                        dst = a[1]
                    g.set_reg_val(c, s, bits)
                    if form.endswith("cl"):
                        c.set(RCX, (g.val(32, mode) & ~0xFF) | count)
                        c.text = f"{op} {dst}, {s[1]}, cl"
                    else:
                        c.text = f"{op} {dst}, {s[1]}, 0x{count:x}"
                    yield c


def muldiv_cases(g, mode, n):
    for op in ["mul", "imul", "div", "idiv"]:
        for bits in sizes_for(mode):
            for form in ["r", "m"]:
                for k in range(n + 4):
                    c = Case("muldiv", mode, "")
                    c.flags = g.flags()
                    excl = (RAX, RDX)
                    if form == "r":
                        (a,) = g.pick_regs(c, 1, bits, exclude=excl)
                        v = g.set_reg_val(c, a, bits)
                        src = a[1]
                    else:
                        m, addr, used = g.mem(c, bits, exclude=excl)
                        g.fill(c, addr, bits // 8)
                        src = f"{SIZE_KW[bits]} {m}"
                    c.set(RAX, g.val(bits, mode))
                    c.set(RDX, g.val(bits, mode))
                    if op in ("div", "idiv"):
                        # keep most divisions defined: make the high half small relative to the divisor
                        if k % 3 == 0:
                            pass   # random: often #DE
                        else:
                            dv = (c.regs[a[0]] >> (8 if a[2] else 0)) & mask(bits) if form == "r" else \
                                int.from_bytes(bytes(c.mem[addr + i] for i in range(bits // 8)), "little")
                            if dv == 0:
                                dv = 1
                            hi = g.r.randrange(0, max(1, dv >> 1))
                            if bits == 8:
                                c.set(RAX, (c.regs[RAX] & ~0xFFFF) | (hi << 8) | g.r.getrandbits(8))
                            else:
                                c.set(RDX, (c.regs[RDX] & ~mask(bits)) | hi)
                        if k == n:
                            # divide by zero
                            if form == "r":
                                c.set(a[0], c.regs[a[0]] & ~(0xFF00 if a[2] else mask(bits)))
                            else:
                                c.put(addr, bytes(bits // 8))
                        if k == n + 1 and op == "idiv":
                            # a negative dividend by -1 whose quotient does not fit
                            if form == "r":
                                c.set(a[0], c.regs[a[0]] | (0xFF00 if a[2] else mask(bits)))
                            else:
                                c.put(addr, bytes([0xFF] * (bits // 8)))
                            if bits == 8:
                                c.set(RAX, (c.regs[RAX] & ~0xFFFF) | 0x8000)
                            else:
                                c.set(RAX, c.regs[RAX] & ~mask(bits) | (1 if bits in (16, 32) else 0))
                                c.set(RDX, (c.regs[RDX] & ~mask(bits)) | (1 << (bits - 1)))
                        if op == "idiv" and bits in (16, 32):
                            avoid_host_sigfpe(c, bits, a if form == "r" else None, None if form == "r" else addr)
                    c.text = f"{op} {src}"
                    yield c
    # two- and three-operand IMUL
    for bits in [16, 32] + ([64] if mode == 64 else []):
        for form in ["rr", "rm", "rri8", "rri", "rmi"]:
            for k in range(n + 2):
                c = Case("muldiv", mode, "")
                c.flags = g.flags()
                if form in ("rm", "rmi"):
                    m, addr, used = g.mem(c, bits)
                    g.fill(c, addr, bits // 8)
                    (d,) = g.pick_regs(c, 1, bits, exclude=used)
                    src = f"{SIZE_KW[bits]} {m}"
                else:
                    d, s = g.pick_regs(c, 2, bits)
                    g.set_reg_val(c, s, bits)
                    src = s[1]
                g.set_reg_val(c, d, bits)
                if form in ("rr", "rm"):
                    c.text = f"imul {d[1]}, {src}"
                elif form == "rri8":
                    c.text = f"imul {d[1]}, {src}, byte {fmt_imm(imm_for(g, bits, 'imm8s'))}"
                else:
                    c.text = f"imul {d[1]}, {src}, strict {SIZE_KW[bits]} {fmt_imm(imm_for(g, bits, 'imm'))}"
                yield c


def avoid_host_sigfpe(c, bits, reg, addr):
    """unicorn 2.0.1 (QEMU 5) divides natively in IDIV r/m16 and r/m32 and dies of SIGFPE on the
    most negative dividend divided by -1; nudge such a dividend by one (still #DE)."""
    if reg is not None:
        dv = (c.regs[reg[0]] >> (8 if reg[2] else 0)) & mask(bits)
    else:
        dv = int.from_bytes(bytes(c.mem[addr + i] for i in range(bits // 8)), "little")
    lo, hi = c.regs[RAX] & mask(bits), c.regs[RDX] & mask(bits)
    if dv == mask(bits) and lo == 0 and hi == 1 << (bits - 1):
        c.set(RAX, c.regs[RAX] | 1)


def bit_cases(g, mode, n):
    for op in ["bt", "bts", "btr", "btc"]:
        for bits in [16, 32] + ([64] if mode == 64 else []):
            for form in ["rr", "ri", "mr", "mi"]:
                for k in range(n + 2):
                    c = Case("bit", mode, "")
                    c.flags = g.flags()
                    # the undefined flags follow QEMU's lazy-flag state from the previous
                    # instruction, not the architectural state: compare CF and ZF only
                    c.flag_mask = FLAGS_COMPARE & ~(STATUS & ~0x41)
                    if form.startswith("m"):
                        # register bit offsets may reach outside the operand: keep them within
                        # +-256 bytes and make that whole window random
                        center = g.r.randrange(DATA_LO + 0x200, DATA_HI - 0x200) & ~0xF
                        m, addr, used = g.mem(c, bits, target=center, asize=mode)
                        g.fill(c, addr - 0x100, 0x200 + 8)
                        dst = f"{SIZE_KW[bits]} {m}"
                    else:
                        (a,) = g.pick_regs(c, 1, bits)
                        g.set_reg_val(c, a, bits)
                        used = [a[0]]
                        dst = a[1]
                    if form.endswith("r"):
                        (s,) = g.pick_regs(c, 1, bits, exclude=used)
                        if form == "mr":
                            off = g.r.randrange(-0x800, 0x800)
                            c.set(s[0], off & mask(bits) | (g.r.getrandbits(64) & ~mask(bits) if bits < 64 else 0))
                        else:
                            g.set_reg_val(c, s, bits)
                        c.text = f"{op} {dst}, {s[1]}"
                    else:
                        c.text = f"{op} {dst}, 0x{g.r.randrange(256):x}"
                    if g.r.random() < 0.15 and form.startswith("m") and op != "bt":
                        c.text = "lock " + c.text
                    yield c
    for op in ["bsf", "bsr"]:
        for bits in [16, 32] + ([64] if mode == 64 else []):
            for form in ["rr", "rm"]:
                for k in range(n + 2):
                    c = Case("bit", mode, "")
                    c.flags = g.flags()
                    if form == "rm":
                        m, addr, used = g.mem(c, bits)
                        g.fill(c, addr, bits // 8)
                        if k == 0:
                            c.put(addr, bytes(bits // 8))
                        (d,) = g.pick_regs(c, 1, bits, exclude=used)
                        src = f"{SIZE_KW[bits]} {m}"
                    else:
                        d, s = g.pick_regs(c, 2, bits)
                        g.set_reg_val(c, s, bits)
                        if k == 0:
                            c.set(s[0], c.regs[s[0]] & ~mask(bits))
                        src = s[1]
                    g.set_reg_val(c, d, bits)
                    c.text = f"{op} {d[1]}, {src}"
                    yield c
    for bits in [32] + ([64] if mode == 64 else []):
        for _ in range(n):
            c = Case("bit", mode, "")
            c.flags = g.flags()
            (a,) = g.pick_regs(c, 1, bits)
            g.set_reg_val(c, a, bits)
            c.text = f"bswap {a[1]}"
            yield c


def xchg_cases(g, mode, n):
    for bits in sizes_for(mode):
        kw = SIZE_KW[bits]
        for form in ["rr", "rm", "acc", "xadd_rr", "xadd_m", "cx_rr", "cx_m"]:
            if form == "acc" and bits == 8:
                continue
            for k in range(n + 1):
                c = Case("xchg", mode, "")
                c.flags = g.flags()
                lock = "lock " if g.r.random() < 0.3 else ""
                if form == "rr":
                    a, b = g.pick_regs(c, 2, bits)
                    g.set_reg_val(c, a, bits)
                    g.set_reg_val(c, b, bits)
                    c.text = f"xchg {a[1]}, {b[1]}"
                elif form == "acc":
                    (a,) = g.pick_regs(c, 1, bits, exclude=(RAX,))
                    g.set_reg_val(c, a, bits)
                    c.set(RAX, g.val(bits, mode))
                    c.text = f"xchg {g.regname(RAX, bits)}, {a[1]}"
                elif form in ("rm", "xadd_m", "cx_m"):
                    m, addr, used = g.mem(c, bits, exclude=(RAX,))
                    g.fill(c, addr, bits // 8)
                    (a,) = g.pick_regs(c, 1, bits, exclude=used + [RAX])
                    g.set_reg_val(c, a, bits)
                    c.set(RAX, g.val(bits, mode))
                    if form == "cx_m":
                        lock = "lock " if k < 2 else lock    # both LOCK and plain in every size
                    if form == "cx_m" and k % 2 == 0:
                        cur = int.from_bytes(bytes(c.mem[addr + i] for i in range(bits // 8)), "little")
                        c.set(RAX, (c.regs[RAX] & ~mask(bits)) | cur)
                    op = {"rm": "xchg", "xadd_m": "xadd", "cx_m": "cmpxchg"}[form]
                    c.text = f"{lock if op != 'xchg' else ''}{op} {kw} {m}, {a[1]}"
                else:
                    a, b = g.pick_regs(c, 2, bits, exclude=(RAX,))
                    g.set_reg_val(c, a, bits)
                    g.set_reg_val(c, b, bits)
                    c.set(RAX, g.val(bits, mode))
                    if form == "cx_rr" and k % 2 == 0:
                        c.set(RAX, (c.regs[RAX] & ~mask(bits)) | ((c.regs[a[0]] >> (8 if a[2] else 0)) & mask(bits)))
                    c.text = f"{'xadd' if form == 'xadd_rr' else 'cmpxchg'} {a[1]}, {b[1]}"
                yield c
    for wide in ([8, 16] if mode == 64 else [8]):
        for k in range(n + 2):
            c = Case("xchg", mode, "")
            c.flags = g.flags()
            target = g.r.randrange(DATA_LO, DATA_HI - 64) & ~(wide - 1)
            if k == n + 1 and wide == 16:
                target += 8      # CMPXCHG16B needs 16-byte alignment: #GP
            m, addr, used = g.mem(c, wide * 8, target=target, exclude=(RAX, RBX, RCX, RDX))
            g.fill(c, addr, wide)
            half = wide // 2
            for i in (RAX, RBX, RCX, RDX):
                c.set(i, g.val(half * 8, mode))
            if k % 2 == 0:
                lo = int.from_bytes(bytes(c.mem[addr + i] for i in range(half)), "little")
                hi = int.from_bytes(bytes(c.mem[addr + half + i] for i in range(half)), "little")
                c.set(RAX, lo if wide == 16 else (c.regs[RAX] & ~mask(32)) | lo)
                c.set(RDX, hi if wide == 16 else (c.regs[RDX] & ~mask(32)) | hi)
            c.text = f"{'lock ' if k % 3 == 0 else ''}cmpxchg{wide}b {m}"
            yield c


def mov_cases(g, mode, n):
    for bits in sizes_for(mode):
        kw = SIZE_KW[bits]
        for form in ["rr", "rm", "mr", "ri", "mi"]:
            for _ in range(n):
                c = Case("mov", mode, "")
                c.flags = g.flags()
                if form == "rr":
                    a, b = g.pick_regs(c, 2, bits)
                    g.set_reg_val(c, a, bits)
                    g.set_reg_val(c, b, bits)
                    c.text = f"mov {a[1]}, {b[1]}"
                elif form in ("rm", "mr"):
                    m, addr, used = g.mem(c, bits)
                    g.fill(c, addr, bits // 8)
                    (a,) = g.pick_regs(c, 1, bits, exclude=used)
                    g.set_reg_val(c, a, bits)
                    c.text = f"mov {a[1]}, {kw} {m}" if form == "rm" else f"mov {kw} {m}, {a[1]}"
                elif form == "ri":
                    (a,) = g.pick_regs(c, 1, bits)
                    g.set_reg_val(c, a, bits)
                    v = g.val(bits, 64) & mask(bits)
                    if bits == 64 and g.r.random() < 0.5:
                        c.text = f"mov {a[1]}, strict dword {fmt_imm(imm_for(g, 64, 'imm'))}"
                    else:
                        c.text = f"mov {a[1]}, 0x{v:x}"
                else:
                    m, addr, used = g.mem(c, bits)
                    g.fill(c, addr, bits // 8)
                    c.text = f"mov {kw} {m}, {fmt_imm(imm_for(g, bits, 'imm'))}"
                yield c
        # moffs forms (A0-A3)
        for _ in range(max(1, n // 2)):
            c = Case("mov", mode, "")
            c.flags = g.flags()
            target = g.r.randrange(DATA_LO, DATA_HI - 8)
            g.fill(c, target, bits // 8)
            c.set(RAX, g.val(bits, mode))
            addr = target - (DS16 * 16 if mode == 16 else 0)
            ref = f"[qword 0x{addr:x}]" if mode == 64 else f"[0x{addr:x}]"
            acc = g.regname(RAX, bits)
            c.text = f"mov {acc}, {kw} {ref}" if g.r.random() < 0.5 else f"mov {kw} {ref}, {acc}"
            yield c
    ext = [("movzx", 16, 8), ("movzx", 32, 8), ("movzx", 32, 16), ("movsx", 16, 8), ("movsx", 32, 8), ("movsx", 32, 16)]
    if mode == 64:
        ext += [("movzx", 64, 8), ("movzx", 64, 16), ("movsx", 64, 8), ("movsx", 64, 16), ("movsxd", 64, 32)]
    for op, db, sb in ext:
        for form in ["rr", "rm"]:
            for _ in range(n):
                c = Case("mov", mode, "")
                c.flags = g.flags()
                if form == "rm":
                    m, addr, used = g.mem(c, sb)
                    g.fill(c, addr, sb // 8)
                    if g.r.random() < 0.5:
                        c.mem[addr + sb // 8 - 1] |= 0x80
                    (d,) = g.pick_regs(c, 1, db, exclude=used)
                    src = f"{SIZE_KW[sb]} {m}"
                else:
                    (d,) = g.pick_regs(c, 1, db)
                    (s,) = g.pick_regs(c, 1, sb)
                    if mode == 64 and (d[0] >= 8 or db == 64) and s[2]:
                        s = (s[0], GPR8_REX[s[0]], False)   # AH..BH cannot go with REX
                    g.set_reg_val(c, s, sb)
                    src = s[1]
                g.set_reg_val(c, d, db)
                c.text = f"{op} {d[1]}, {src}"
                yield c
    for bits in [16, 32] + ([64] if mode == 64 else []):
        for _ in range(n * 2):
            c = Case("mov", mode, "")
            c.flags = g.flags()
            m, addr, used = g.mem(c, 8)
            (d,) = g.pick_regs(c, 1, bits, exclude=used)
            g.set_reg_val(c, d, bits)
            c.text = f"lea {d[1]}, {m}"
            yield c
    if mode == 16:
        # segment register moves, real mode only (elsewhere a load needs a descriptor table)
        for _ in range(n):
            for i, name in enumerate(SREGS):
                c = Case("mov", mode, ""); c.flags = g.flags()
                for j in (0, 3, 4, 5):
                    if g.r.random() < 0.5:
                        c.segs[j] = g.r.getrandbits(16)
                (a,) = g.pick_regs(c, 1, 16)
                g.set_reg_val(c, a, 16)
                if name != "cs":
                    c.text = f"mov {name}, {a[1]}"; yield c
                    c = Case("mov", mode, ""); c.flags = g.flags()
                    m, addr, used = g.mem(c, 16)
                    g.fill(c, addr, 2)
                    c.text = f"mov {name}, word {m}"; yield c
                c = Case("mov", mode, ""); c.flags = g.flags()
                c.segs[i] = g.r.getrandbits(16) if i != 1 else CS16
                (a,) = g.pick_regs(c, 1, 32)
                g.set_reg_val(c, a, 32)
                c.text = f"mov {a[1] if g.r.random() < 0.5 else GPR16[a[0]]}, {name}"; yield c
                c = Case("mov", mode, ""); c.flags = g.flags()
                m, addr, used = g.mem(c, 16)
                g.fill(c, addr, 2)
                c.text = f"mov word {m}, {name}"; yield c
    for text in ["cbw", "cwde", "cwd", "cdq"] + (["cdqe", "cqo"] if mode == 64 else []):
        for _ in range(n):
            c = Case("mov", mode, text)
            c.flags = g.flags()
            c.set(RAX, g.val({"cbw": 8, "cwde": 16, "cwd": 16, "cdq": 32, "cdqe": 32, "cqo": 64}[text], mode))
            c.set(RDX, g.val(32, mode))
            yield c


def cond_cases(g, mode, n):
    for cc in CONDS:
        for bits in [16, 32] + ([64] if mode == 64 else []):
            for form in ["rr", "rm"]:
                for _ in range(max(2, n // 2)):
                    c = Case("cond", mode, "")
                    c.flags = g.flags()
                    if form == "rm":
                        m, addr, used = g.mem(c, bits)
                        g.fill(c, addr, bits // 8)
                        (d,) = g.pick_regs(c, 1, bits, exclude=used)
                        src = f"{SIZE_KW[bits]} {m}"
                    else:
                        d, s = g.pick_regs(c, 2, bits)
                        g.set_reg_val(c, s, bits)
                        src = s[1]
                    g.set_reg_val(c, d, bits)
                    c.text = f"cmov{cc} {d[1]}, {src}"
                    yield c
        for form in ["r", "m"]:
            for _ in range(max(2, n // 2)):
                c = Case("cond", mode, "")
                c.flags = g.flags()
                if form == "m":
                    m, addr, used = g.mem(c, 8)
                    g.fill(c, addr, 1)
                    c.text = f"set{cc} byte {m}"
                else:
                    (a,) = g.pick_regs(c, 1, 8)
                    g.set_reg_val(c, a, 8)
                    c.text = f"set{cc} {a[1]}"
                yield c
        for far in [False, True]:
            for _ in range(max(2, n // 2)):
                c = Case("branch", mode, "")
                c.flags = g.flags()
                c.branch = True
                if far:
                    rel = g.r.randrange(-0x8000, 0x8000) if mode == 16 else g.r.randrange(-0xF000, 0x100000)
                    c.text = f"j{cc} near $%+d" % rel
                else:
                    c.text = f"j{cc} short $%+d" % g.r.randrange(-126, 130)
                yield c


def branch_cases(g, mode, n):
    word = {16: 16, 32: 32, 64: 64}[mode]
    ip_bits = 16 if mode == 16 else word
    sp_top = (STACK - DS16 * 16) if mode == 16 else STACK
    def setup(c):
        c.flags = g.flags()
        c.branch = True
        c.set(RSP, sp_top - 8 * g.r.randrange(0, 16) - (2 if g.r.random() < 0.1 else 0))

    def target(c):
        if mode == 16:
            return g.r.getrandbits(16)
        return g.r.randrange(0x1000, RAM_SIZE - 0x1000)

    for _ in range(n):
        c = Case("branch", mode, ""); setup(c)
        c.text = "jmp short $%+d" % g.r.randrange(-126, 130); yield c
        c = Case("branch", mode, ""); setup(c)
        c.text = "jmp near $%+d" % (g.r.randrange(-0x8000, 0x8000) if mode == 16 else g.r.randrange(-0xF000, 0x100000)); yield c
        c = Case("branch", mode, ""); setup(c)
        c.text = "call $%+d" % (g.r.randrange(-0x8000, 0x8000) if mode == 16 else g.r.randrange(-0xF000, 0x100000)); yield c
        for op in ["jmp", "call"]:
            c = Case("branch", mode, ""); setup(c)
            (a,) = g.pick_regs(c, 1, word)
            c.set(a[0], target(c) | (g.r.getrandbits(16) << 16 if mode == 16 else 0))
            c.text = f"{op} {a[1]}"; yield c
            c = Case("branch", mode, ""); setup(c)
            m, addr, used = g.mem(c, word, exclude=(RSP,))
            c.put(addr, target(c).to_bytes(word // 8, "little"))
            c.text = f"{op} {SIZE_KW[word]} {m}"; yield c
        for imm in [None, g.r.randrange(0, 0x40) * 2]:
            c = Case("branch", mode, ""); setup(c)
            sp = c.regs[RSP]
            lin = sp + (DS16 * 16 if mode == 16 else 0)
            c.put(lin, target(c).to_bytes(word // 8, "little"))
            c.text = "ret" if imm is None else f"ret {imm}"; yield c
        for op in ["loop", "loope", "loopne", {16: "jcxz", 32: "jecxz", 64: "jrcxz"}[mode]]:
            c = Case("branch", mode, ""); setup(c)
            c.set(RCX, g.r.choice([0, 1, 2, g.val(32, mode), mask(32)]))
            c.text = f"{op} $%+d" % g.r.randrange(-126, 130); yield c
    # other operand/address sizes of branches
    if mode == 16:
        for _ in range(n):
            c = Case("branch", mode, ""); setup(c)
            c.set(RCX, g.r.choice([0, 1, 0x10000, 0x10001, g.val(32, mode)]))
            c.text = "a32 loop $%+d" % g.r.randrange(-126, 130); yield c
            c = Case("branch", mode, ""); setup(c)
            c.text = "jecxz $+8"; c.set(RCX, g.r.choice([0, 0x10000, 1])); yield c
    if mode == 32:
        for _ in range(n):
            c = Case("branch", mode, ""); setup(c)
            c.set(RCX, g.r.choice([0, 1, 0x10000, 0x10001, g.val(32, mode)]))
            c.text = "a16 loop $%+d" % g.r.randrange(-126, 130); yield c
            c = Case("branch", mode, ""); setup(c)
            c.text = "jcxz $+8"; c.set(RCX, g.r.choice([0, 0x10000, 1])); yield c
    if mode == 64:
        for _ in range(n):
            c = Case("branch", mode, ""); setup(c)
            c.set(RCX, g.r.choice([0, 1, 1 << 32, (1 << 32) + 1, g.val(64, mode)]))
            c.text = "a32 loop $%+d" % g.r.randrange(-126, 130); yield c
            c = Case("branch", mode, ""); setup(c)
            c.text = "jecxz $+8"; c.set(RCX, g.r.choice([0, 1 << 32, 1])); yield c


def stack_cases(g, mode, n):
    word = mode
    sp_top = (STACK - DS16 * 16) if mode == 16 else STACK
    seg = DS16 * 16 if mode == 16 else 0
    def setup(c):
        c.flags = g.flags()
        c.set(RSP, sp_top - 8 * g.r.randrange(1, 16))
        lin = c.regs[RSP] + seg
        g.fill(c, lin - 16, 48)
        return lin

    push_sizes = [16, 32] if mode != 64 else [64, 16]
    for bits in push_sizes:
        kw = SIZE_KW[bits]
        for _ in range(n):
            c = Case("stack", mode, ""); setup(c)
            (a,) = g.pick_regs(c, 1, bits); g.set_reg_val(c, a, bits)
            c.text = f"push {a[1]}"; yield c
            c = Case("stack", mode, ""); setup(c)
            (a,) = g.pick_regs(c, 1, bits); g.set_reg_val(c, a, bits)
            c.text = f"pop {a[1]}"; yield c
            c = Case("stack", mode, ""); setup(c)
            m, addr, used = g.mem(c, bits, target=g.r.randrange(DATA_LO, DATA_HI - 64)); g.fill(c, addr, bits // 8)
            c.text = f"push {kw} {m}"; yield c
            c = Case("stack", mode, ""); setup(c)
            m, addr, used = g.mem(c, bits, target=g.r.randrange(DATA_LO, DATA_HI - 64)); g.fill(c, addr, bits // 8)
            c.text = f"pop {kw} {m}"; yield c
            c = Case("stack", mode, ""); setup(c)
            c.text = f"push {kw} {fmt_imm(imm_for(g, bits, 'imm8s'))}"; yield c
            c = Case("stack", mode, ""); setup(c)
            c.text = f"push strict {kw} {fmt_imm(imm_for(g, bits, 'imm'))}"; yield c
    if mode == 16:
        for _ in range(n):
            for i, name in enumerate(SREGS):
                for op in ["push", "pop"] if name != "cs" else ["push"]:
                    for osz in ["", "o32 "]:
                        c = Case("stack", mode, f"{osz}{op} {name}"); lin = setup(c)
                        if name != "cs" and name != "ss":
                            c.segs[i] = g.r.getrandbits(16)
                        yield c
    fl = {16: ["pushf", "popf", "pushfd", "popfd"], 32: ["pushf", "popf", "pushfw", "popfw"], 64: ["pushfq", "popfq", "pushfw", "popfw"]}[mode]
    for text in fl:
        for _ in range(n):
            c = Case("stack", mode, text); lin = setup(c)
            if text.startswith("popf"):
                # random flags image without TF (would trap after the next instruction) and VM
                v = g.r.getrandbits(32) & ~(0x100 | 0x20000 | 0x10000) | 2
                v &= 0x00244FD7 | 0x3000 | 0x4000
                c.put(lin, v.to_bytes(8, "little"))
            yield c
    for _ in range(n):
        for text in ["leave", "enter"]:
            c = Case("stack", mode, text); setup(c)
            c.set(RBP, c.regs[RSP] + 8 * g.r.randrange(0, 8))
            if text == "enter":
                level = g.r.choice([0, 0, 1, 2, 3])
                c.text = f"enter 0x{g.r.randrange(0, 0x40) * 2:x}, {level}"
                # nested frames copy level-1 frame pointers from below RBP
                g.fill(c, c.regs[RBP] + seg - 40, 48)
            else:
                g.fill(c, c.regs[RBP] + seg, 16)
            yield c
        if mode != 64:
            c = Case("stack", mode, ""); setup(c)
            c.text = "o16 leave" if mode == 32 else "o32 leave"
            c.set(RBP, c.regs[RSP] + 8 * g.r.randrange(0, 8))
            g.fill(c, c.regs[RBP] + seg, 16)
            yield c


def flag_cases(g, mode, n):
    ops = ["lahf", "sahf", "clc", "stc", "cmc", "cld", "std", "cli", "sti"]
    for op in ops:
        for _ in range(n):
            c = Case("flags", mode, op)
            c.flags = g.flags()
            c.set(RAX, g.val(16, mode))
            yield c


def string_cases(g, mode, n):
    asizes = {16: [16, 32], 32: [32, 16], 64: [64, 32]}[mode]
    for op in ["movs", "stos", "lods", "cmps", "scas"]:
        for bits in sizes_for(mode):
            for asize in asizes:
                for rep in ["", "rep ", "repe ", "repne "]:
                    if rep and op in ("movs", "stos", "lods") and rep != "rep ":
                        continue
                    if rep == "rep " and op in ("cmps", "scas"):
                        continue
                    for k in range(max(2, n // 2)):
                        c = Case("string", mode, "")
                        df = g.r.random() < 0.3
                        c.flags = g.flags(df=df)
                        nb = bits // 8
                        count = g.r.choice([0, 1, 2, 3, 5, 8]) if rep else g.r.randrange(0, 4)
                        seg = DS16 * 16 if mode == 16 else 0
                        lo, hi = (LOW_LO, LOW_HI) if (asize == 16 and mode != 16) else (DATA_LO, DATA_HI)
                        src = g.r.randrange(lo + 0x100, hi - 0x100) & ~(nb - 1 if g.r.random() < 0.8 else 0)
                        dst = g.r.randrange(lo + 0x100, hi - 0x100)
                        span = count * nb + nb
                        g.fill(c, src - span, 2 * span)
                        if op in ("cmps",) and g.r.random() < 0.7:
                            # make a prefix of the two strings equal so REPE runs a while
                            for i in range(-span, span):
                                c.mem[dst + i] = c.mem[src + i]
                        else:
                            g.fill(c, dst - span, 2 * span)
                        if op == "scas" and g.r.random() < 0.5:
                            # let the accumulator match an element, which stops REPNE/REPE
                            pick = dst + (g.r.randrange(0, max(1, count)) * nb) * (-1 if df else 1)
                            c.set(RAX, int.from_bytes(bytes(c.mem.get(pick + i, 0) for i in range(nb)), "little"))
                        else:
                            c.set(RAX, g.val(bits, mode))
                        amask = mask(asize)
                        up = (g.r.getrandbits(16) << 16) if asize == 16 else ((g.r.getrandbits(32) << 32) if (asize == 32 and mode == 64) else 0)
                        c.set(RSI, up | ((src - seg) & amask))
                        up = (g.r.getrandbits(16) << 16) if asize == 16 else ((g.r.getrandbits(32) << 32) if (asize == 32 and mode == 64) else 0)
                        c.set(RDI, up | ((dst - seg) & amask))
                        up = (g.r.getrandbits(16) << 16) if asize == 16 else ((g.r.getrandbits(32) << 32) if (asize == 32 and mode == 64) else 0)
                        c.set(RCX, up | count)
                        pre = {16: "a16 ", 32: "a32 ", 64: ""}[asize] if asize != mode else ""
                        c.text = f"{pre}{rep}{op}{SUFFIX[bits]}"
                        yield c
    for asize in asizes:
        for _ in range(n):
            c = Case("string", mode, "")
            c.flags = g.flags()
            seg = DS16 * 16 if mode == 16 else 0
            lo, hi = (LOW_LO, LOW_HI) if (asize == 16 and mode != 16) else (DATA_LO, DATA_HI)
            table = g.r.randrange(lo, hi - 0x100)
            g.fill(c, table, 256)
            up = (g.r.getrandbits(16) << 16) if asize == 16 else ((g.r.getrandbits(32) << 32) if (asize == 32 and mode == 64) else 0)
            c.set(RBX, up | ((table - seg) & mask(asize)))
            c.set(RAX, g.val(8, mode))
            pre = {16: "a16 ", 32: "a32 ", 64: ""}[asize] if asize != mode else ""
            c.text = f"{pre}xlatb"
            yield c


def rand128(g):
    r = g.r
    if r.random() < 0.2:
        return r.choice([0, mask(128), 1 << 127])
    return r.getrandbits(128)


def sse_cases(g, mode, n):
    nx = 16 if mode == 64 else 8
    for op, align in [("movdqa", 16), ("movdqu", 1), ("movaps", 16), ("movups", 1)]:
        for form in ["load", "store", "rr"]:
            for k in range(n):
                c = Case("sse", mode, "")
                c.flags = g.flags()
                c.mxcsr = MXCSR_DEFAULT
                x1, x2 = g.r.sample(range(nx), 2)
                c.xmm[x1] = rand128(g)
                c.xmm[x2] = rand128(g)
                if form == "rr":
                    c.text = f"{op} xmm{x1}, xmm{x2}"
                else:
                    # unicorn (QEMU 5) does not check MOVDQA/MOVAPS alignment, real CPUs and
                    # QEMU 7.2 raise #GP: keep those aligned, so the vectors hold no opinion
                    t = g.r.randrange(DATA_LO, DATA_HI - 64)
                    t &= ~15 if align == 16 or g.r.random() < 0.5 else ~0
                    m, addr, used = g.mem(c, 128, target=t)
                    g.fill(c, addr, 16)
                    c.text = f"{op} xmm{x1}, oword {m}" if form == "load" else f"{op} oword {m}, xmm{x1}"
                yield c
    for k in range(n * 2):
        c = Case("sse", mode, "")
        c.flags = g.flags()
        c.mxcsr = MXCSR_DEFAULT
        m, addr, used = g.mem(c, 32)
        if k % 2 == 0:
            g.fill(c, addr, 4)
            # valid MXCSR values only: QEMU 5 does not raise #GP for reserved bits
            v = g.r.getrandbits(16)
            c.put(addr, v.to_bytes(4, "little"))
            c.text = f"ldmxcsr dword {m}"
        else:
            g.fill(c, addr, 4)
            c.mxcsr = g.r.getrandbits(16)
            c.text = f"stmxcsr dword {m}"
        yield c
    nops = ["db 0x0f, 0x1f, 0x44, 0x00, 0x00", "db 0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00"] \
        if mode != 16 else ["db 0x0f, 0x1f, 0x40, 0x00", "db 0x0f, 0x1f, 0x80, 0x00, 0x00"]
    for text in ["lfence", "mfence", "sfence", "pause", "nop"] + nops:
        c = Case("sse", mode, text)
        c.flags = g.flags()
        yield c
    for k in range(n):
        c = Case("sse", mode, "")
        c.flags = g.flags()
        m, addr, used = g.mem(c, 8)
        c.text = f"prefetcht0 {m}"
        yield c
    for op in ["pxor", "por", "pand", "pcmpeqb", "paddd", "psubq"]:
        for k in range(max(2, n // 2)):
            c = Case("sse", mode, "")
            c.flags = g.flags()
            x1, x2 = g.r.sample(range(nx), 2)
            c.xmm[x1] = rand128(g)
            c.xmm[x2] = rand128(g) if k else c.xmm[x1]
            c.text = f"{op} xmm{x1}, xmm{x2}"
            yield c
    for k in range(n):
        bits = 64 if mode == 64 and k % 2 else 32
        for dir_ in ["to", "from"]:
            c = Case("sse", mode, "")
            c.flags = g.flags()
            x1 = g.r.randrange(nx)
            c.xmm[x1] = rand128(g)
            (a,) = g.pick_regs(c, 1, bits)
            g.set_reg_val(c, a, bits)
            mn = "movd" if bits == 32 else "movq"
            c.text = f"{mn} xmm{x1}, {a[1]}" if dir_ == "to" else f"{mn} {a[1]}, xmm{x1}"
            yield c


def fxsave_cases(g, mode, n):
    # x87 state is left at reset values (FCW 0x37F, all registers empty) on both sides; XMM and
    # MXCSR are random, so FXSAVE's image and FXRSTOR's result are fully determined.
    nx = 16 if mode == 64 else 8
    for op in ["fxsave", "fxrstor"] + (["fxsave64", "fxrstor64"] if mode == 64 else []):
        for k in range(n):
            c = Case("fxsave", mode, "")
            c.flags = g.flags()
            c.mxcsr = g.r.getrandbits(16) & 0xFFBF | 0x1F80 if k else MXCSR_DEFAULT
            for i in range(nx):
                c.xmm[i] = rand128(g)
            t = g.r.randrange(DATA_LO, DATA_HI - 1024) & ~15
            m, addr, used = g.mem(c, 8, target=t)
            if op.startswith("fxrstor"):
                img = bytearray(512)
                img[0:2] = (0x37F).to_bytes(2, "little")
                img[24:28] = (g.r.getrandbits(16) & 0xFFBF).to_bytes(4, "little")
                for i in range(16):
                    img[160 + 16 * i:176 + 16 * i] = rand128(g).to_bytes(16, "little")
                c.put(addr, bytes(img))
            c.text = f"{op} {m}"
            yield c


def x87_cases(g, mode, n):
    """The x87 control instructions firmware runs; the data registers stay empty."""
    def setup(c):
        c.flags = g.flags()
        c.fcw = g.r.choice([FCW_DEFAULT, 0x40, 0x27F, g.r.getrandbits(13) & 0x1F3F | 0x40])
        c.fsw = g.r.choice([0, 0, g.r.getrandbits(7), 0x80 | g.r.getrandbits(7)]) & 0xC7FF
    for k in range(n):
        c = Case("x87", mode, "fninit"); setup(c); yield c
        c = Case("x87", mode, "wait"); setup(c); c.fsw &= 0x3F; yield c
        for text in ["fldcw", "fnstcw", "fnstsw"]:
            c = Case("x87", mode, ""); setup(c)
            m, addr, used = g.mem(c, 16)
            g.fill(c, addr, 2)
            if text == "fldcw":
                # exception bits stay masked: an unmasked pending exception is another story
                # and reserved bits clear (QEMU would keep them, hardware does not)
                c.put(addr, (g.r.getrandbits(16) & 0x1F3F | 0x7F).to_bytes(2, "little"))
            c.text = f"{text} word {m}"
            yield c
        c = Case("x87", mode, "fnstsw ax"); setup(c); c.set(RAX, g.val(16, mode)); yield c


X87_IN, X87_OUT = 0x21000, 0x22000    # x87arith: operands and results (linear)
X87_CW = [0x27F, 0x67F, 0xA7F, 0xE7F]  # 53-bit precision, each rounding mode, exceptions masked


def x87_double(g):
    """An operand: small integers, random normal doubles, signed zeros and infinities; products
    and quotients stay inside the double range (varsgen keeps doubles, see docs/cpu.md)."""
    k = g.r.randrange(10)
    if k < 3:
        return float(g.r.randrange(-40, 41))
    if k == 3:
        return g.r.choice([0.0, -0.0, float("inf"), float("-inf"), 0.5, -1.5, 1e150, -1e-150])
    return g.r.choice([1, -1]) * g.r.uniform(1, 2) * 2.0 ** g.r.randrange(-40, 41)


def x87arith_cases(g, mode, n):
    """x87 sequences at 53-bit precision: operands loaded from memory, results stored as
    80-bit reals, integers or EFLAGS. unicorn (QEMU 5) does not report the x87 exception flags
    or stack faults, so each sequence stays within the stack, copies C0-C3 and TOP to AX right
    after the operation and ends with FNINIT: what is compared is the stored values, those
    status bits and (FCOMI) ZF, PF and CF."""
    base = 0x20000 if mode == 16 else 0

    def at(lin):
        return f"[{lin - base:#x}]"

    def case(body, ops, nres, cc=0x4500):
        c = Case("x87arith", mode, "")
        c.flags = g.flags()
        c.fcw = g.r.choice(X87_CW)
        for k, v in enumerate(ops):
            c.put(X87_IN + 16 * k, struct.pack("<d", v))
        c.put(X87_IN + 0x100, struct.pack("<i", g.r.randrange(-1000, 1000)))
        c.put(X87_IN + 0x110, struct.pack("<h", g.r.randrange(-1000, 1000)))
        f32 = x87_double(g)
        c.put(X87_IN + 0x120, struct.pack("<f", f32 if not math.isfinite(f32) or abs(f32) < 1e30 else 1.0))
        lines = [f"fld qword {at(X87_IN + 16 * k)}" for k in range(len(ops))] + body
        if "fcomi" in body[0] or "fucomi" in body[0]:
            lines += ["setz bl", "setp bh", "setc cl"]  # QEMU keeps OF/SF/AF, the SDM clears them
        # C3, C2, C0 and TOP right after the operation; C1 only where it is a result bit (QEMU
        # does not report the rounding direction in it)
        lines += ["fnstsw ax", f"and ax, {cc | 0x3800:#x}"]
        lines += [f"fstp tword {at(X87_OUT + 16 * k)}" for k in range(nres)] + ["fninit"]
        g.fill(c, X87_OUT, 16 * nres)
        c.text = "\n".join(lines)
        return c

    m64, m32, i32, i16 = (f"qword {at(X87_IN)}", f"dword {at(X87_IN + 0x120)}",
                          f"dword {at(X87_IN + 0x100)}", f"word {at(X87_IN + 0x110)}")
    arith = ["fadd", "fmul", "fsub", "fsubr", "fdiv", "fdivr"]
    for k in range(n):
        for op in arith:
            two = [x87_double(g), x87_double(g)]
            yield case([f"{op} st0, st1"], two, 2)
            yield case([f"{op} st1, st0"], two, 2)
            yield case([f"{op}p st1, st0"], two, 1)
            yield case([f"{op} {m64}"], two[:1] + [x87_double(g)], 2)
            yield case([f"{op} {m32}"], two[:1], 1)
            yield case([f"fi{op[1:]} {g.r.choice([i32, i16])}"], two[:1], 1)
        for op in ["fcom st1", "fcomp st1", "fucom st1", "fucomp st1", "ftst", "fxam", "fcom " + m64]:
            yield case([op], [x87_double(g), x87_double(g)], 1 if "p " in op + " " else 2,
                       0x4700 if op == "fxam" else 0x4500)
        yield case(["fcompp"], [x87_double(g), x87_double(g)], 0)
        for op in ["fcomi st0, st1", "fucomi st0, st1", "fcomip st0, st1", "fucomip st0, st1"]:
            yield case([op], [x87_double(g), x87_double(g)], 1 if "ip" in op else 2)
        for op in ["fsqrt", "fabs", "fchs", "frndint", "fxtract", "fld1", "fldz", "fxch st1", "fld st1"]:
            v = abs(x87_double(g)) if op == "fsqrt" else x87_double(g) * g.r.choice([1, 0.25, 1.5])
            nres = 2 + (op in ("fxtract", "fld1", "fldz", "fld st1"))
            yield case([op], [x87_double(g), v], nres)
        for op in ["fprem", "fprem1", "fscale"]:
            a, b = x87_double(g), x87_double(g)
            if op == "fscale":
                a = float(g.r.randrange(-70, 70)) + g.r.choice([0, 0.5, -0.75])
            else:
                # integers: QEMU 5 computes remainders in host doubles, exact only for these
                a = float(g.r.choice([1, -1]) * g.r.randrange(1, 100))
                b = float(g.r.randrange(-100000, 100000))
            yield case([op], [a, b], 2, 0x4700 if op != "fscale" else 0x4500)
        for op, size in [("fist", 16), ("fist", 32), ("fistp", 16), ("fistp", 32), ("fistp", 64),
                         ("fisttp", 16), ("fisttp", 32), ("fisttp", 64)]:
            v = g.r.choice([g.r.uniform(-40000, 40000), g.r.randrange(-10, 10) + 0.5, x87_double(g)])
            dst = f"{SIZE_KW[size]} {at(X87_OUT + 0x100)}"
            yield case([f"{op} {dst}"], [v], 0 if op != "fist" else 1)
        for size in (32, 64):
            yield case([f"fst {SIZE_KW[size]} {at(X87_OUT + 0x100)}"], [x87_double(g)], 1)


def io_cases(g, mode, n):
    """IN, OUT, INS, OUTS; ports read io_read(port, size), writes are recorded in order."""
    sizes = [8, 16, 32]
    for bits in sizes:
        acc = g.regname(RAX, bits)
        for _ in range(n):
            for text in [f"in {acc}, 0x{g.r.getrandbits(8):x}", f"in {acc}, dx",
                         f"out 0x{g.r.getrandbits(8):x}, {acc}", f"out dx, {acc}"]:
                c = Case("io", mode, text)
                c.flags = g.flags()
                c.set(RAX, g.val(bits, mode))
                c.set(RDX, g.val(32, mode) & ~0xFFFF | g.r.choice([0x80, 0x3F8, 0xCF8, 0xCFC, 0x402, 0xB2, g.r.getrandbits(16)]))
                yield c
    asizes = {16: [16, 32], 32: [32, 16], 64: [64, 32]}[mode]
    for op in ["ins", "outs"]:
        for bits in sizes:
            for asize in asizes:
                for rep in ["", "rep "]:
                    for _ in range(max(2, n // 2)):
                        c = Case("io", mode, "")
                        c.flags = g.flags(df=g.r.random() < 0.3)
                        nb = bits // 8
                        count = g.r.choice([0, 1, 2, 5]) if rep else g.r.randrange(0, 4)
                        seg = DS16 * 16 if mode == 16 else 0
                        lo, hi = (LOW_LO, LOW_HI) if (asize == 16 and mode != 16) else (DATA_LO, DATA_HI)
                        ptr = g.r.randrange(lo + 0x40, hi - 0x40)
                        g.fill(c, ptr - 0x20, 0x40)
                        up = (g.r.getrandbits(16) << 16) if asize == 16 else ((g.r.getrandbits(32) << 32) if (asize == 32 and mode == 64) else 0)
                        c.set(RSI if op == "outs" else RDI, up | ((ptr - seg) & mask(asize)))
                        c.set(RCX, up | count)
                        c.set(RDX, g.r.choice([0x80, 0x3F8, 0x402, g.r.getrandbits(16)]))
                        pre = {16: "a16 ", 32: "a32 ", 64: ""}[asize] if asize != mode else ""
                        c.text = f"{pre}{rep}{op}{SUFFIX[bits]}"
                        yield c


def misc_cases(g, mode, n):
    for text in ["ud2", "db 0xf0, 0x01, 0xd8", "db 0x0f, 0xff"]:
        c = Case("misc", mode, text)
        c.flags = g.flags()
        yield c


GROUPS = [
    ("alu", alu_cases, 6), ("unary", unary_cases, 6), ("shift", shift_cases, 5), ("shxd", shxd_cases, 6),
    ("muldiv", muldiv_cases, 6), ("bit", bit_cases, 6), ("xchg", xchg_cases, 6), ("mov", mov_cases, 6),
    ("cond", cond_cases, 6), ("branch", branch_cases, 4), ("stack", stack_cases, 5), ("flags", flag_cases, 6),
    ("string", string_cases, 4), ("sse", sse_cases, 6), ("fxsave", fxsave_cases, 3), ("x87", x87_cases, 5), ("x87arith", x87arith_cases, 2), ("io", io_cases, 4), ("misc", misc_cases, 1),
]


# ------------------------------------------------------------------------------------------------
# Assembly (nasm, one run per mode) and execution (unicorn)
# ------------------------------------------------------------------------------------------------

def assemble(mode, texts):
    """Assembles every text with nasm in one run and returns the bytes of each."""
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "a.asm")
        with open(src, "w") as f:
            f.write(f"bits {mode}\n")
            for t in texts:
                f.write(t + "\n")
        lst = os.path.join(d, "a.lst")
        p = subprocess.run(["nasm", "-O1", "-f", "bin", "-o", os.path.join(d, "a.bin"), "-l", lst, src],
                           capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit(f"nasm failed for {mode}-bit code:\n{p.stderr[:4000]}")
        out = {}
        pat = re.compile(r"^\s*(\d+)\s+[0-9A-F]{8}\s+([0-9A-F]+)(-?)")
        with open(lst) as f:
            for line in f:
                mt = pat.match(line)
                if mt:
                    ln = int(mt.group(1))
                    out[ln] = out.get(ln, "") + mt.group(2)
        result, line = [], 2
        for t in texts:
            n = t.count("\n") + 1
            result.append(bytes.fromhex("".join(out.get(line + k, "") for k in range(n))))
            line += n
        return result


class Result:
    pass


def run_case(c):
    """Runs one vector on a fresh unicorn engine and returns what it produced."""
    mode = c.mode
    uc = Uc(UC_ARCH_X86, {16: UC_MODE_16, 32: UC_MODE_32, 64: UC_MODE_64}[mode])
    uc.mem_map(0, RAM_SIZE)
    image = bytearray(RAM_SIZE)
    for a, b in c.mem.items():
        image[a] = b
    image[CODE:CODE + len(c.code)] = c.code
    uc.mem_write(0, bytes(image))
    if mode == 16:
        for i, rid in enumerate(UCSEG):
            uc.reg_write(rid, c.segs.get(i, CS16 if i == 1 else DS16))
    # CR4.OSFXSR/OSXMMEXCPT: unicorn leaves CR4 at 0 (its 32/64-bit modes only set the
    # translator's SSE flag, so FXSAVE omits MXCSR and the XMM registers; its 16-bit mode
    # raises #UD on SSE), and writing the CR4 register id does not reach the translator's
    # flags. So run a real MOV to CR4 first, at linear 0x10000 (CS:0000 in real mode), which
    # the image then also holds so that it is not seen as a write.
    setup = SET_CR4[mode]
    uc.mem_write(CS16 * 16, setup)
    image[CS16 * 16:CS16 * 16 + len(setup)] = setup
    uc.emu_start(CS16 * 16, CS16 * 16 + len(setup))
    assert uc.reg_read(X.UC_X86_REG_CR4) == CR4_OSFXSR_OSXMMEXCPT
    ids = UC64 if mode == 64 else UC32
    regs = [c.regs.get(i, default_gpr(mode, i)) for i in range(len(ids))]
    for rid, v in zip(ids, regs):
        uc.reg_write(rid, v)
    uc.reg_write(X.UC_X86_REG_EFLAGS, c.flags)
    # the x87 unit as after FNINIT (unicorn starts with every register tagged valid)
    uc.reg_write(X.UC_X86_REG_FPCW, c.fcw)
    uc.reg_write(X.UC_X86_REG_FPTAG, 0xFFFF)
    uc.reg_write(X.UC_X86_REG_FPSW, c.fsw)
    assert (uc.reg_read(X.UC_X86_REG_FPCW), uc.reg_read(X.UC_X86_REG_FPSW)) == (c.fcw, c.fsw), c.text
    uc.reg_write(X.UC_X86_REG_MXCSR, c.mxcsr if c.mxcsr is not None else MXCSR_DEFAULT)
    for i in range(16 if mode == 64 else 8):
        uc.reg_write(XMM[i], c.xmm.get(i, 0))
    # the 2.0.1 pitfall: read every input back
    for rid, v in zip(ids, regs):
        assert uc.reg_read(rid) == v, (c.text, rid, v)
    assert uc.reg_read(X.UC_X86_REG_EFLAGS) == c.flags, c.text
    for i in range(16 if mode == 64 else 8):
        assert uc.reg_read(XMM[i]) & mask(128) == c.xmm.get(i, 0), (c.text, i)
    exc = []

    def on_intr(u, intno, _):
        exc.append((intno, u.reg_read(X.UC_X86_REG_EIP if mode != 64 else X.UC_X86_REG_RIP)))
        u.emu_stop()

    uc.hook_add(UC_HOOK_INTR, on_intr)
    io_writes = []
    uc.hook_add(UC_HOOK_INSN, lambda u, port, size, _: io_read(port, size), None, 1, 0, X.UC_X86_INS_IN)
    uc.hook_add(UC_HOOK_INSN, lambda u, port, size, value, _: io_writes.append((port, size, value & mask(8 * size))),
                None, 1, 0, X.UC_X86_INS_OUT)
    err = None
    try:
        if c.branch:
            uc.emu_start(CODE, 0, count=1)
        else:
            uc.emu_start(CODE, CODE + len(c.code))
    except UcError as e:
        err = e
    res = Result()
    res.exception = None
    rip = uc.reg_read(X.UC_X86_REG_RIP if mode == 64 else X.UC_X86_REG_EIP)
    if mode == 16 and rip >= 0x10000:
        rip -= CS16 * 16     # unicorn reports CS.base + IP after a count-limited run
    if err is not None:
        if err.errno != UC_ERR_INSN_INVALID:
            raise RuntimeError(f"{c.text}: unicorn error {err}")
        res.exception = 6
    elif exc:
        res.exception, rip = exc[0]
        if res.exception in (3, 4) or res.exception >= 32:
            raise RuntimeError(f"{c.text}: software interrupt {res.exception}")
    res.rip = rip
    res.regs = [uc.reg_read(r) for r in ids]
    res.flags = uc.reg_read(X.UC_X86_REG_EFLAGS)
    res.xmm = {i: uc.reg_read(XMM[i]) & mask(128) for i in range(16 if mode == 64 else 8)}
    res.mxcsr = uc.reg_read(X.UC_X86_REG_MXCSR)
    res.segs = [uc.reg_read(r) for r in UCSEG] if mode == 16 else None
    res.fcw = uc.reg_read(X.UC_X86_REG_FPCW)
    res.fsw = uc.reg_read(X.UC_X86_REG_FPSW)
    after = uc.mem_read(0, RAM_SIZE)
    writes = []
    if after != image:
        for page in range(0, RAM_SIZE, 4096):
            a, b = after[page:page + 4096], image[page:page + 4096]
            if a == b:
                continue
            i = 0
            while i < 4096:
                if a[i] != b[i]:
                    j = i
                    while j < 4096 and a[j] != b[j]:
                        j += 1
                    writes.append((page + i, bytes(a[i:j])))
                    i = j
                else:
                    i += 1
    res.writes = writes
    res.io = io_writes
    res.regs_in = regs
    return res


def mem_runs(mem):
    runs = []
    for a in sorted(mem):
        if runs and runs[-1][0] + len(runs[-1][1]) == a:
            runs[-1][1].append(mem[a])
        else:
            runs.append((a, bytearray([mem[a]])))
    return runs


def fmt_vector(c, res):
    mode = c.mode
    ins = []
    for i, v in enumerate(res.regs_in):
        if v != default_gpr(mode, i):
            ins.append(f"r{i}={v:x}")
    ins.append(f"fl={c.flags:x}")
    for i in sorted(c.xmm):
        if c.xmm[i]:
            ins.append(f"x{i}={c.xmm[i]:x}")
    if c.mxcsr is not None and c.mxcsr != MXCSR_DEFAULT:
        ins.append(f"mx={c.mxcsr:x}")
    if c.fcw != FCW_DEFAULT:
        ins.append(f"cw={c.fcw:x}")
    if c.fsw:
        ins.append(f"sw={c.fsw:x}")
    for i, sel in sorted(c.segs.items()):
        ins.append(f"{SREGS[i]}={sel:x}")
    outs = []
    for i, v in enumerate(res.regs):
        if v != res.regs_in[i]:
            outs.append(f"r{i}={v:x}")
    outs.append(f"ip={res.rip:x}")
    outs.append(f"fl={res.flags:x}")
    for i, v in res.xmm.items():
        if v != c.xmm.get(i, 0):
            outs.append(f"x{i}={v:x}")
    if res.mxcsr != (c.mxcsr if c.mxcsr is not None else MXCSR_DEFAULT):
        outs.append(f"mx={res.mxcsr:x}")
    if res.fcw != c.fcw:
        outs.append(f"cw={res.fcw:x}")
    if res.fsw != c.fsw:
        outs.append(f"sw={res.fsw:x}")
    if res.io:
        outs.append("out=" + ";".join(f"{p:x}:{n}:{v:x}" for p, n, v in res.io))
    if res.segs is not None:
        for i, sel in enumerate(res.segs):
            if sel != c.segs.get(i, CS16 if i == 1 else DS16):
                outs.append(f"{SREGS[i]}={sel:x}")
    mem_in = ",".join(f"{a:x}:{bytes(b).hex()}" for a, b in mem_runs(c.mem)) or "-"
    mem_out = ",".join(f"{a:x}:{b.hex()}" for a, b in res.writes) or "-"
    exc = "-" if res.exception is None else str(res.exception)
    fm = "-" if c.flag_mask == FLAGS_COMPARE else f"{c.flag_mask:x}"
    return "\t".join([str(mode), c.code.hex(), c.text, " ".join(ins), mem_in, " ".join(outs), mem_out, exc, fm])


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                                  "emulator", "src", "test", "resources", "cpu-vectors"))
    ap.add_argument("--only", help="comma-separated groups to generate")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    wanted = set(args.only.split(",")) if args.only else None
    by_group = {}
    for name, fn, n in GROUPS:
        if wanted and name not in wanted:
            continue
        cases = []
        for mode in (16, 32, 64):
            # one generator per group and mode, so adding a group never changes another's vectors
            g = Gen(random.Random(f"{SEED}:{name}:{mode}"))
            mc = list(fn(g, mode, n))
            for c, code in zip(mc, assemble(mode, [c.text for c in mc])):
                c.code = code
                # a sequence (x87arith) is one vector; its instructions are separated by " | "
                c.text = " | ".join(re.sub(r"\s+", " ", ln).strip() for ln in c.text.split("\n"))
            cases += mc
        for c in cases:
            res = run_case(c)
            by_group.setdefault(c.group, []).append(fmt_vector(c, res))
    total = 0
    for grp, lines in sorted(by_group.items()):
        path = os.path.join(args.out, f"{grp}.vec.gz")
        with open(path, "wb") as raw:
            # mtime 0 keeps the gzip bytes identical from run to run
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f:
                head = (f"# varsgen cpu vectors: group {grp}; generator {GENERATOR_VERSION}; "
                        f"unicorn {unicorn.__version__}; seed {SEED}\n"
                        "# mode\tcode\ttext\tinputs\tmemory-in\toutputs\tmemory-out\texception\tflag-mask\n")
                f.write(head.encode())
                for line in lines:
                    f.write((line + "\n").encode())
        print(f"{grp:8s} {len(lines):6d} vectors  ({os.path.getsize(path)} bytes)")
        total += len(lines)
    print(f"total    {total:6d} vectors")


if __name__ == "__main__":
    main()
