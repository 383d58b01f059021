"""Reads `perf script -F event,trace` lines of the uprobes `hummingbird-counts.sh` places to
record an address (`resume=<n>`), and prints "<calls per request> <probe> <function>" for each
function the addresses fall in, resolved with the process's memory map (argv[1]), addr2line and
swift-demangle. argv[2] is the number of requests served while the probes recorded."""
import collections
import re
import subprocess
import sys

maps = []
for line in open(sys.argv[1]):
    fields = line.split()
    if len(fields) >= 6 and fields[5].startswith("/"):
        start, end = (int(x, 16) for x in fields[0].split("-"))
        maps.append((start, end, int(fields[2], 16), fields[5]))
# The addresses of a shared object or a position-independent executable are relative to where
# its first segment is mapped.
bases = {}
for start, _, offset, path in maps:
    if offset == 0 and path not in bases:
        bases[path] = start
served = float(sys.argv[2])

counts = collections.Counter()
for line in sys.stdin:
    match = re.search(r"meshkit_where_(\w+).*resume=(\d+)", line)
    if match:
        counts[(match.group(1).removeprefix("swift_"), int(match.group(2)))] += 1

by_file = collections.defaultdict(set)
for _, address in counts:
    for start, end, _, path in maps:
        if start <= address < end:
            by_file[path].add(address)
            break
names = {}
for path, addresses in by_file.items():
    ordered = sorted(addresses)
    relative = [hex(address - bases.get(path, 0)) for address in ordered]
    symbols = subprocess.run(["addr2line", "-f", "-e", path, *relative], capture_output=True, text=True).stdout.splitlines()[0::2]
    demangled = subprocess.run(
        ["swift-demangle", "--simplified", "--compact"], input="\n".join(symbols), capture_output=True, text=True
    ).stdout.splitlines()
    for address, name in zip(ordered, demangled):
        names[address] = name.strip() or "?"

per_function = collections.Counter()
for (probe, address), count in counts.items():
    per_function[(probe, names.get(address, "?"))] += count
for (probe, function), count in per_function.items():
    print(f"{count / served:.2f} {probe} {function}")
