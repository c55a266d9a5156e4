#!/usr/bin/python3
"""Inventory of the x86 instruction forms in the Debian trixie firmware fixtures.

Sources:
  * dynamic: the instruction-forms-*.tsv files (what QEMU executed, with counts);
  * static: every PE32/TE image in the OVMF code volumes (LZMA sections decompressed), the UEFI
    shell and EnrollDefaultKeys.efi, disassembled with objdump by recursive descent from the
    entry point, relocated pointers and RIP-relative LEA targets (a plain linear sweep would
    also decode the read-only data that edk2's linker script merges into .text).
  * status: "implemented" when the cpu branch's decoder/interpreter handles the form (read from
    an optional status file, see --status), else "unknown".

Forms are written as the TSV files write them: the AT&T mnemonic with its size suffix and the
operand kinds (r8/r16/r32/r64, m, imm, xmm, sreg, cr, ...).

Usage: scripts/instruction-inventory.py [--firmware DIR] [--status FILE] [--out docs/instruction-inventory.md]
"""
import argparse
import collections
import glob
import gzip
import hashlib
import lzma
import os
import re
import struct
import subprocess
import sys
import tempfile

LZMA_GUID = struct.pack("<IHH", 0xEE4E5898, 0x3914, 0x4259) + bytes.fromhex("9d6edc7bd79403cf")
IMAGE_FILES = ["OVMF_CODE_4M.fd", "OVMF_CODE_4M.secboot.fd", "shellx64.efi", "EnrollDefaultKeys.efi"]
TSV_FILES = [("secboot-job", "instruction-forms-secboot-job.tsv"), ("nosmm-shell", "instruction-forms-nosmm-shell.tsv")]

R8 = set("al bl cl dl ah bh ch dh sil dil spl bpl".split()) | {f"r{i}b" for i in range(8, 16)}
R16 = set("ax bx cx dx si di sp bp".split()) | {f"r{i}w" for i in range(8, 16)}
R32 = set("eax ebx ecx edx esi edi esp ebp".split()) | {f"r{i}d" for i in range(8, 16)}
R64 = set("rax rbx rcx rdx rsi rdi rsp rbp rip".split()) | {f"r{i}" for i in range(8, 16)}
SEG = set("cs ds es fs gs ss".split())
PREFIXES = ("rep", "repe", "repne", "lock", "repz", "repnz", "data16", "addr32", "notrack", "bnd", "rex.W", "rex")
SEGMENT_PREFIXES = ("cs", "ds", "es", "fs", "gs", "ss")
TERMINATORS = re.compile(r"^(ret|jmp|ud2|hlt|iret|lret|sysret|rsm)")
BAD = re.compile(r"\(bad\)|^\.byte|^rex|^\?\?")


# ---- operand kinds, the same classification as the tools that made the TSV files ----------------
def kind(op):
    op = op.strip()
    if op.startswith("$"):
        return "imm"
    if op.startswith("*"):
        return "*" + kind(op[1:])
    if "(" in op or re.fullmatch(r"(%\w+:)?-?0x[0-9a-f]+", op):
        return "m"
    m = re.fullmatch(r"%(\w+)", op)
    if m:
        r = m.group(1)
        for name, regs in (("r8", R8), ("r16", R16), ("r32", R32), ("r64", R64), ("sreg", SEG)):
            if r in regs:
                return name
        for p in ("cr", "dr", "xmm", "st", "mm"):
            if r.startswith(p):
                return "st" if p == "st" else p
        return r
    if re.fullmatch(r"-?0x[0-9a-f]+|\d+", op):
        return "rel"
    return op


def split_ops(s):
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch == "(":
            depth += 1
        if ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur)
    return out


# objdump -M suffix spells a few things unlike the QEMU plugin's disassembler (capstone)
SPELLING = {"jmpq": "jmp", "loopq": "loop", "loopeq": "loope", "loopneq": "loopne", "leaveq": "leave",
            "enterq": "enter", "fwait": "wait", "repz": "repe", "repnz": "repne"}


def form_of(text):
    text = re.sub(r"\s+#.*$", "", text).strip()
    text = text.replace("(%dx)", "%dx")       # objdump writes IN/OUT's port register as (%dx)
    text = re.sub(r"\s*<[^>]*>", "", text)
    parts = text.split(None, 1)
    pre = []
    while parts and parts[0] in PREFIXES + SEGMENT_PREFIXES:
        # a segment override is an operand detail in the TSV's forms (%fs:... is an "m")
        if parts[0] not in SEGMENT_PREFIXES:
            pre.append(SPELLING.get(parts[0], parts[0]))
        rest = parts[1] if len(parts) > 1 else ""
        parts = rest.split(None, 1)
    if not parts:
        return None
    mn = re.sub(r"\.s$", "", parts[0])       # objdump marks the alternative encoding with .s
    ops = split_ops(parts[1]) if len(parts) > 1 else []
    if mn == "bswap" and ops:
        mn += {"r32": "l", "r64": "q"}.get(kind(ops[0]), "")   # capstone writes the size, objdump not
    if mn == "jmpq" and ops and ops[0].strip().startswith("*"):
        pass                                  # indirect jumps keep the suffix, as in the TSV
    else:
        mn = SPELLING.get(mn, mn)
    return (" ".join(pre + [mn]) + " " + ", ".join(kind(o) for o in ops)).strip()


# ---- firmware volumes and images --------------------------------------------------------------
def lzma_sections(blob):
    """Yields the decompressed contents of every LZMA GUID-defined section in blob."""
    pos = 0
    while True:
        i = blob.find(LZMA_GUID, pos)
        if i < 0:
            return
        pos = i + 1
        for hdr in (4, 8):
            start = i - hdr
            if start < 0 or blob[start + 3] != 0x02:
                continue
            data_off = struct.unpack_from("<H", blob, i + 16)[0]
            try:
                out = lzma.LZMADecompressor(format=lzma.FORMAT_ALONE).decompress(blob[start + data_off:])
            except lzma.LZMAError:
                continue
            yield out
            break


def all_blobs(blob, depth=0):
    yield blob
    if depth < 3:
        for inner in lzma_sections(blob):
            yield from all_blobs(inner, depth + 1)


class Image:
    def __init__(self, name, data, text_ranges, entry, seeds):
        self.name, self.data, self.text_ranges, self.entry, self.seeds = name, data, text_ranges, entry, seeds


def debug_name(data, dirs, rva_to_off):
    """The module name from the CodeView entry of the debug directory (edk2 keeps the .dll path)."""
    if len(dirs) < 7:
        return None
    rva, size = dirs[6]
    off = rva_to_off(rva)
    if not rva or off is None or off + 28 > len(data):
        return None
    ptr = struct.unpack_from("<I", data, off + 24)[0]
    raw_rva = struct.unpack_from("<I", data, off + 20)[0]
    for p in (rva_to_off(raw_rva), ptr):
        if p is not None and 0 <= p < len(data) - 4 and data[p:p + 4] in (b"RSDS", b"NB10", b"MTOC"):
            start = p + {b"RSDS": 24, b"NB10": 16, b"MTOC": 20}[data[p:p + 4]]
            end = data.find(b"\0", start)
            path = data[start:end].decode("latin-1")
            return re.split(r"[\\/]", path)[-1].replace(".dll", "").replace(".pdb", "")
    return None


def relocation_targets(data, rva_to_off, reloc_rva, reloc_size, image_base):
    out = []
    off = rva_to_off(reloc_rva) if reloc_rva else None
    if off is None:
        return out
    end = off + reloc_size
    while off + 8 <= end and off + 8 <= len(data):
        page, block = struct.unpack_from("<II", data, off)
        if block < 8:
            break
        for k in range((block - 8) // 2):
            e = struct.unpack_from("<H", data, off + 8 + 2 * k)[0]
            if e >> 12 == 10:    # IMAGE_REL_BASED_DIR64
                loc = rva_to_off(page + (e & 0xFFF))
                if loc is not None and loc + 8 <= len(data):
                    out.append(struct.unpack_from("<Q", data, loc)[0] - image_base)
        off += block
    return out


def parse_pe(blob, at, label):
    """A PE32+ image at blob[at:] (MZ header); returns an Image or None."""
    if at + 0x40 > len(blob):
        return None
    lfanew = struct.unpack_from("<I", blob, at + 0x3C)[0]
    pe = at + lfanew
    if lfanew > 0x1000 or pe + 24 > len(blob) or blob[pe:pe + 4] != b"PE\0\0":
        return None
    machine, nsec, _, _, _, opt_size, _ = struct.unpack_from("<HHIIIHH", blob, pe + 4)
    if machine != 0x8664:
        return None
    opt = pe + 24
    magic = struct.unpack_from("<H", blob, opt)[0]
    if magic != 0x20B:
        return None
    entry = struct.unpack_from("<I", blob, opt + 16)[0]
    image_base = struct.unpack_from("<Q", blob, opt + 24)[0]
    ndirs = struct.unpack_from("<I", blob, opt + 108)[0]
    dirs = [struct.unpack_from("<II", blob, opt + 112 + 8 * k) for k in range(min(ndirs, 16))]
    secs = []
    sh = opt + opt_size
    for k in range(nsec):
        name, vsize, va, rsize, rptr = struct.unpack_from("<8sIIII", blob, sh + 40 * k)
        chars = struct.unpack_from("<I", blob, sh + 40 * k + 36)[0]
        secs.append((va, vsize, rptr, rsize, chars))

    def rva_to_off(rva):
        for va, vsize, rptr, rsize, _ in secs:
            if va <= rva < va + max(vsize, rsize):
                return at + rptr + (rva - va) if rva - va < rsize else None
        return at + rva if rva < 0x1000 else None

    text = [(va, min(vsize, rsize), at + rptr) for va, vsize, rptr, rsize, ch in secs if ch & 0x20000000]
    seeds = relocation_targets(blob, rva_to_off, dirs[5][0], dirs[5][1], image_base) if len(dirs) > 5 else []
    name = debug_name(blob, dirs, rva_to_off) or f"{label}@{at:x}"
    return Image(name, blob, text, entry, seeds)


def parse_te(blob, at, label):
    """A TE image (edk2's stripped PE, signature VZ) at blob[at:]."""
    if at + 40 > len(blob):
        return None
    machine, nsec, _, stripped, entry, _, image_base = struct.unpack_from("<HBBHIIQ", blob, at + 2)
    if machine != 0x8664 or not 0 < nsec < 16:
        return None
    reloc_rva, reloc_size, dbg_rva, dbg_size = struct.unpack_from("<IIII", blob, at + 24)
    adjust = stripped - 40      # TE drops the PE headers: file offset = RVA - adjust
    secs = []
    for k in range(nsec):
        name, vsize, va, rsize, rptr = struct.unpack_from("<8sIIII", blob, at + 40 + 40 * k)
        chars = struct.unpack_from("<I", blob, at + 40 + 40 * k + 36)[0]
        secs.append((va, vsize, rptr, rsize, chars))

    def rva_to_off(rva):
        o = at + rva - adjust
        return o if 0 <= o < len(blob) else None

    text = [(va, min(vsize, rsize), at + rptr - adjust) for va, vsize, rptr, rsize, ch in secs if ch & 0x20000000]
    seeds = relocation_targets(blob, rva_to_off, reloc_rva, reloc_size, image_base)
    name = debug_name(blob, [(0, 0)] * 6 + [(dbg_rva, dbg_size)], rva_to_off) or f"{label}@{at:x}"
    return Image(name, blob, text, entry, seeds)


def ui_name(blob, at):
    """The module name from the FFS user-interface section that follows the image's section
    (release builds carry no debug directory; OVMF's FDF rules put UI right after PE32/TE)."""
    sec = at - 4
    if sec < 0 or blob[sec + 3] not in (0x10, 0x12):
        return None
    size = int.from_bytes(blob[sec:sec + 3], "little")
    nxt = (sec + size + 3) & ~3
    if nxt + 6 > len(blob) or blob[nxt + 3] != 0x15:
        return None
    usize = int.from_bytes(blob[nxt:nxt + 3], "little")
    raw = blob[nxt + 4:nxt + usize]
    try:
        return raw.decode("utf-16-le").rstrip("\0") or None
    except UnicodeDecodeError:
        return None


def find_images(blob, label):
    images = []
    for m in re.finditer(rb"MZ", blob):
        img = parse_pe(blob, m.start(), label)
        if img:
            img.name = ui_name(blob, m.start()) or img.name
            images.append(img)
    for m in re.finditer(rb"VZ", blob):
        img = parse_te(blob, m.start(), label)
        if img:
            img.name = ui_name(blob, m.start()) or img.name
            images.append(img)
    return images


# ---- disassembly -------------------------------------------------------------------------------
LINE = re.compile(r"^\s*([0-9a-f]+):\s+((?:[0-9a-f]{2} )+)\s*(.*)$")


def objdump(code, base, start=None, stop=None):
    """Linear objdump of code (loaded at RVA base): {rva: (length, text)}."""
    with tempfile.NamedTemporaryFile(suffix=".bin") as f:
        f.write(code)
        f.flush()
        cmd = ["objdump", "-D", "-b", "binary", "-m", "i386:x86-64", "-M", "suffix", "--adjust-vma=%d" % base, f.name]
        if start is not None:
            cmd[1:1] = ["--start-address=%d" % start, "--stop-address=%d" % stop]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    insns = {}
    last = None
    for line in out.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        addr = int(m.group(1), 16)
        hexbytes = m.group(2).replace(" ", "")
        if m.group(3).strip() == "" and last is not None:
            # continuation line of a long instruction's bytes
            n, t, h = insns[last]
            insns[last] = (n + len(hexbytes) // 2, t, h + hexbytes)
            continue
        insns[addr] = (len(hexbytes) // 2, m.group(3).strip(), hexbytes)
        last = addr
    return insns


TARGET = re.compile(r"^(?:call|jmp|j[a-z]+|loop[a-z]*|jrcxz|jecxz)\w*\s+(0x[0-9a-f]+)$")
RIPREL = re.compile(r"^lea\w*\s+(-?0x[0-9a-f]+)\(%rip\),.*#\s*(0x[0-9a-f]+)")


def descend(img, rng, examples):
    """Recursive descent over one executable section: forms with their site counts; the first
    bytes seen of each form go into examples."""
    va, size, off = rng
    code = img.data[off:off + size]
    sweep = objdump(code, va)
    extra = {}
    seen = set()
    forms = collections.Counter()
    work = [img.entry] + [s for s in img.seeds]
    while work:
        start = work.pop()
        if not va <= start < va + size or start in seen:
            continue
        path = []
        targets = []
        zeros = 0
        a = start
        ok = False
        while va <= a < va + size and a not in seen:
            ins = sweep.get(a) or extra.get(a)
            if ins is None:
                extra.update(objdump(code, va, a, min(a + 256, va + size)))
                ins = extra.get(a)
                if ins is None:
                    break
            length, text, hexbytes = ins
            if BAD.search(text):
                break
            # runs of 00 bytes ("add %al,(%rax)") are data or padding, not code
            zeros = zeros + 1 if text.startswith("addb   %al,(%rax)") else 0
            if zeros >= 2:
                break
            path.append((a, text, hexbytes))
            raw = re.sub(r"\s*<[^>]*>", "", text)
            t = TARGET.match(re.sub(r"\s+#.*$", "", raw))
            if t:
                targets.append(int(t.group(1), 16))
            r = RIPREL.match(raw)
            if r:
                targets.append(int(r.group(2), 16))
            if TERMINATORS.match(text):
                ok = True
                break
            a += length
        else:
            ok = True           # ran into code already accepted
        if ok:
            work.extend(targets)
            for addr, text, hexbytes in path:
                if addr not in seen:
                    seen.add(addr)
                    f = form_of(text)
                    if f:
                        forms[f] += 1
                        examples.setdefault(f, (hexbytes, text))
    return forms


# Why a form the probe saw raise #UD is not (or need not be) implemented.
UD_REASONS = [
    (r"^rsm", "#UD outside SMM is correct and is all the probe can see; RSM itself is the SMM code's to test"),
    (r"^(clrssbsy|rstorssp|saveprevssp|setssbsy|incssp|rdssp)",
     "not implemented: CET shadow-stack instruction; #UD without CET, as on QEMU's default CPU, and OVMF runs it only when CPUID reports CET"),
    (r"^(tdcall|vmgexit|pvalidate|rmpadjust)",
     "not implemented: TDX/SEV guest instruction; OVMF runs it only inside a TDX or SEV guest"),
    (r"^(monitor|mwait)", "not implemented: CPUID.1:ECX.MONITOR is clear in the model, so firmware does not use it"),
    (r"^xgetbv", "#UD while CR4.OSXSAVE is clear, as on hardware; XSAVE is not in the CPUID model"),
    (r".*%\?", "#UD is correct: MOV with segment register number 6 or 7, an invalid encoding (static disassembly of data)"),
    (r"^(f[a-z]+|por mm)", "not implemented: x87 arithmetic / MMX found only by static disassembly, never executed under QEMU"),
]


def explain(form, status):
    if status == "#UD":
        for pattern, reason in UD_REASONS:
            if re.match(pattern, form):
                return reason
        return "not implemented (#UD in the cpu branch): look at it"
    return status


def vector_forms(folder):
    """How many reference vectors (emulator/src/test/resources/cpu-vectors) exercise each form."""
    codes = {16: [], 32: [], 64: []}
    for path in sorted(glob.glob(os.path.join(folder, "*.vec.gz"))):
        with gzip.open(path, "rt") as f:
            for line in f:
                if not line.startswith("#"):
                    mode, code = line.split("\t", 2)[:2]
                    codes[int(mode)].append(bytes.fromhex(code))
    counts = collections.Counter()
    for mode, items in codes.items():
        # one objdump run per mode over all instructions back to back; each vector is exactly
        # one instruction, so the decoder stays in step with the vector boundaries
        starts = set()
        blob = bytearray()
        for c in items:
            starts.add(len(blob))
            blob += c + b"\x90"      # a NOP between them: WAIT must not merge with the next x87 opcode
        machine = {16: "i8086", 32: "i386", 64: "i386:x86-64"}[mode]
        with tempfile.NamedTemporaryFile(suffix=".bin") as f:
            f.write(blob)
            f.flush()
            out = subprocess.run(["objdump", "-D", "-b", "binary", "-m", machine, "-M", "suffix", f.name],
                                 capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            m = LINE.match(line)
            if m and m.group(3).strip() and int(m.group(1), 16) in starts:
                form = form_of(m.group(3).strip())
                if form:
                    counts[form] += 1
    return counts


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--firmware", default="/work/shared/firmware")
    ap.add_argument("--status", default=os.path.join(here, "..", "docs", "instruction-status.tsv"),
                    help="form<TAB>status lines (implemented / not implemented (why))")
    ap.add_argument("--out", default=os.path.join(here, "..", "docs", "instruction-inventory.md"))
    ap.add_argument("--vectors", default=os.path.join(here, "..", "emulator", "src", "test", "resources", "cpu-vectors"))
    ap.add_argument("--examples", help="also write form<TAB>example bytes<TAB>text lines here")
    args = ap.parse_args()

    dynamic = collections.OrderedDict()
    for run, name in TSV_FILES:
        path = os.path.join(args.firmware, "qemu-reference", name)
        if not os.path.exists(path):
            sys.exit(f"instruction-inventory: {path} not found")
        for line in open(path):
            if line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 6:
                sys.exit(f"instruction-inventory: {path}: malformed line: {line!r}")
            d = dynamic.setdefault(cols[2], {"example": (cols[3], cols[5])})
            d[run] = int(cols[0])

    static = collections.defaultdict(dict)     # form -> {image name: sites}
    image_names = set()
    seen_images = set()     # an image in both code volumes counts once
    static_examples = {}
    for fname in IMAGE_FILES:
        path = os.path.join(args.firmware, "debian-trixie", fname)
        if not os.path.exists(path):
            sys.exit(f"instruction-inventory: {path} not found")
        blob = open(path, "rb").read()
        before = len(seen_images)
        for b in all_blobs(blob):
            for img in find_images(b, fname):
                key = (img.name, hashlib.sha1(b"".join(img.data[r[2]:r[2] + r[1]] for r in img.text_ranges)).hexdigest())
                if key in seen_images:
                    continue
                seen_images.add(key)
                label = fname[:-4] if fname.endswith(".efi") else img.name
                image_names.add(label)
                for rng in img.text_ranges:
                    for f, n in descend(img, rng, static_examples).items():
                        static[f][label] = static[f].get(label, 0) + n
        print(f"{fname}: {len(seen_images) - before} new images", file=sys.stderr)

    if args.examples:
        # one example encoding per form, for scripts/InstructionProbe.java
        with open(args.examples, "w") as fo:
            fo.write("# form\texample bytes\texample text\n")
            for f in sorted(set(dynamic) | set(static)):
                hexbytes, text = dynamic[f]["example"] if f in dynamic else static_examples[f]
                fo.write(f"{f}\t{hexbytes}\t{text}\n")
    status = {}
    status_source = "no status file: every status is unknown"
    if os.path.exists(args.status):
        for line in open(args.status):
            if line.startswith("# source:"):
                status_source = line[len("# source:"):].strip()
            elif line.strip() and not line.startswith("#"):
                f, s = line.rstrip("\n").split("\t", 1)
                status[f] = explain(f, s)

    vectors = vector_forms(args.vectors)
    forms = sorted(set(dynamic) | set(static),
                   key=lambda f: (-(dynamic.get(f, {}).get("secboot-job", 0) + dynamic.get(f, {}).get("nosmm-shell", 0)),
                                  -sum(static.get(f, {}).values()), f))
    out = []
    out.append("# Instruction inventory of the Debian trixie fixtures")
    out.append("")
    out.append("Generated by `scripts/instruction-inventory.py`; do not edit by hand (statuses come from "
               "`docs/instruction-status.tsv`). Dynamic counts are QEMU's executions "
               "(qemu-reference/instruction-forms-*.tsv: the secboot job and the no-SMM boot to the shell); "
               "static sites are instructions found by recursive-descent disassembly of the PE32/TE images "
               f"in OVMF_CODE_4M.fd, OVMF_CODE_4M.secboot.fd (LZMA volumes decompressed), shellx64.efi and "
               f"EnrollDefaultKeys.efi ({len(image_names)} distinct images). 16- and 32-bit code (reset vector, "
               "SMM entry, AP start-up) is not in any PE image and shows up in the dynamic columns only.")
    out.append("")
    out.append("Static disassembly is approximate: seeds taken from relocations and RIP-relative LEAs can "
               "land in data (OpenSSL's assembly keeps tables in .text), so a static-only form with few "
               "sites in crypto or TLS modules may be data decoded as code. The dynamic columns are exact.")
    out.append("")
    out.append(f"Status: {status_source}.")
    out.append("")
    def category(st):
        if st.startswith(("implemented", "not implemented", "unknown", "BUG")):
            return st.split(":")[0].split(" (")[0]
        return "#UD where that is correct"
    counts = collections.Counter(category(status.get(f, "unknown")) for f in forms)
    out.append(f"{len(forms)} forms: {sum(1 for f in forms if f in dynamic)} executed under QEMU, "
               f"{sum(1 for f in forms if f not in dynamic)} found only statically; status counts: "
               + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) + ".")
    out.append("")
    executed_without = [f for f in forms if f in dynamic and not vectors.get(f)]
    out.append(f"Reference vectors (scripts/gen-cpu-vectors.py) exercise {sum(1 for f in forms if vectors.get(f))} of these "
               f"forms; {len(executed_without)} executed forms have none (system, x87 arithmetic, "
               "far transfers and the like; see docs/cpu-testing.md).")
    out.append("")
    out.append("| form | executed (secboot job) | executed (no-SMM shell) | static sites | images | vectors | status |")
    out.append("|---|---:|---:|---:|---|---:|---|")
    for f in forms:
        d = dynamic.get(f, {})
        s = static.get(f, {})
        imgs = sorted(s, key=lambda k: (-s[k], k))
        shown = ", ".join(imgs[:3]) + (f" and {len(imgs) - 3} more" if len(imgs) > 3 else "")
        st = status.get(f, "unknown")
        out.append("| `%s` | %s | %s | %s | %s | %s | %s |" % (
            f.replace("|", "\\|"), d.get("secboot-job", ""), d.get("nosmm-shell", ""),
            sum(s.values()) or "", shown, vectors.get(f, ""), st))
    with open(args.out, "w") as fo:
        fo.write("\n".join(out) + "\n")
    print(f"{len(forms)} forms written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
