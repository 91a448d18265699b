#!/usr/bin/env bash
# Checks that ChatBench's sources compile against libtorch 2.x, on a machine that has only
# Debian 12's libtorch 1.13 and no GPU. The headers of Debian trixie's libtorch-dev and
# libtorch-cuda-dev 2.6, and of what they were built with (gloo; CUDA 12.4 from nvidia-cuda-dev,
# NCCL 2.22 from libnccl-dev), are downloaded once, checked against the SHA-256 in trixie's
# Packages index and unpacked under the cache folder, never installed. Then every project source
# in BUILD_DIR/compile_commands.json (a build configured with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON)
# is compiled with -fsyntax-only, its torch include folders swapped for the 2.6 ones:
#   cpu   as with trixie's CPU libtorch;
#   cuda  as with its CUDA libtorch (whose CMake targets put USE_C10D_NCCL and CUDA's include
#         folder on every file), plus CHATBENCH_WITH_CUDA and CHATBENCH_WITH_NCCL, for the
#         files that test CUDA or NCCL in a preprocessor line of their own or of a project
#         header they include, or include c10d's headers (CHECK_CUDA=all: every file).
# Compile-only: trixie's libraries need glibc 2.38, so nothing is linked or run. Each file's -H
# header list is checked too: a torch, c10, ATen or gloo header from /usr/include (the 1.13
# copies) fails it. Usage: packaging/check-libtorch2.sh BUILD_DIR. Environment: JOBS (parallel
# compiles, default 1), FILES (a regex: only the sources whose path matches), CUDA_INCLUDE
# (folders, colon-separated, instead of trixie's CUDA and NCCL headers, e.g.
# /usr/local/cuda/include), SUITE (default trixie; sid has a newer CPU libtorch), DEBIAN_MIRROR,
# CHATBENCH_LIBTORCH2_CACHE (default ~/.cache/chatbench/libtorch2; SUITE's packages in SUITE/).
# Exit status 0 when every file compiles.
set -euo pipefail

build=$(cd "${1:?usage: packaging/check-libtorch2.sh BUILD_DIR}" && pwd)
[ -f "$build/compile_commands.json" ] || {
    echo "check-libtorch2.sh: no $build/compile_commands.json (configure with" \
        "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON)" >&2
    exit 1
}
here=$(cd "$(dirname "$0")/.." && pwd)
suite=${SUITE:-trixie}
cache=${CHATBENCH_LIBTORCH2_CACHE:-$HOME/.cache/chatbench/libtorch2}/$suite
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
mkdir -p "$cache"

# fetch COMPONENT PACKAGE [PATTERN...]: the suite's PACKAGE's usr/include (or PATTERNs) in
# $cache/PACKAGE, reused when there.
fetch() {
    local index=$cache/Packages-$1 stanza file sum
    if [ ! -s "$index" ]; then
        curl -fsSL "$mirror/dists/$suite/$1/binary-amd64/Packages.xz" | xz -dc >"$index.tmp"
        mv "$index.tmp" "$index"
    fi
    stanza=$(awk -v p="Package: $2" 'BEGIN { RS = ""; FS = "\n" } $1 == p { print; exit }' "$index")
    file=$(sed -n 's/^Filename: //p' <<<"$stanza")
    sum=$(sed -n 's/^SHA256: //p' <<<"$stanza")
    [ -n "$file" ] || { echo "check-libtorch2.sh: $2 not in $suite/$1" >&2; exit 1; }
    if [ "$(cat "$cache/$2.sha256" 2>/dev/null)" != "$sum" ]; then
        curl -fsSL -o "$cache/$2.deb" "$mirror/$file"
        echo "$sum  $cache/$2.deb" | sha256sum -c --quiet
        rm -rf "${cache:?}/$2" && mkdir "$cache/$2"
        dpkg-deb --fsys-tarfile "$cache/$2.deb" |
            tar -x -C "$cache/$2" --wildcards "${@:3}" './usr/include/*'
        rm "$cache/$2.deb"
        echo "$sum" >"$cache/$2.sha256"
    fi
    echo "$2 $(sed -n 's/^Version: //p' <<<"$stanza")" >&2
}
# TorchConfig.cmake says which C++ standard the headers need.
fetch main libtorch-dev './usr/lib/*/cmake/Torch/*'
fetch contrib libtorch-cuda-dev './usr/lib/*/cmake/Torch/*'
fetch main libgloo-dev
if [ -n "${CUDA_INCLUDE:-}" ]; then
    cuda_includes=$CUDA_INCLUDE
else
    fetch non-free nvidia-cuda-dev # ~930 MB to download, 16 MB of headers kept
    fetch main libcu++-dev # <nv/target>, which cuda_fp16.h includes
    fetch contrib libnccl-dev
    cuda_includes=$cache/nvidia-cuda-dev/usr/include:$cache/libcu++-dev/usr/include
    cuda_includes+=:$cache/libnccl-dev/usr/include
fi

# The Qt tests include their moc output (test_x.moc), which AUTOMOC writes during a build: run
# it alone, as the _autogen targets do, without building what those targets depend on.
config=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt")
find "$build" -name AutogenInfo.json -path '*_autogen.dir/*' | while read -r info; do
    (cd "$(dirname "$info")/../.." && cmake -E cmake_autogen "$info" "$config" >/dev/null)
done

exec python3 - "$build" "$here" "$cache" "$cuda_includes" "${JOBS:-1}" "${CHECK_CUDA:-auto}" \
    "${FILES:-}" <<'EOF'
import atexit, concurrent.futures, glob, json, os, re, shlex, shutil, subprocess, sys, tempfile

build, src, cache, cuda_includes, jobs, check_cuda, only = sys.argv[1:]
work = tempfile.mkdtemp(prefix="work-", dir=cache)  # rebuilt precompiled headers, per run
atexit.register(shutil.rmtree, work)
old_header = re.compile(r"^\.+ /usr/include/(ATen|c10|torch|caffe2|gloo|kineto)/")
cuda_line = re.compile(r"^\s*#\s*(if|ifdef|ifndef|elif|include)\b.*(cuda|nccl)", re.I | re.M)
entries = json.load(open(os.path.join(build, "compile_commands.json")))

def torch_flags(kind):
    package = "libtorch-dev" if kind == "cpu" else "libtorch-cuda-dev"
    torch = os.path.join(cache, package, "usr/include")
    flags = ["-isystem", torch, "-isystem", torch + "/torch/csrc/api/include",
             "-isystem", os.path.join(cache, "libgloo-dev/usr/include")]
    if kind == "cuda":
        for d in cuda_includes.split(":"):
            flags += ["-isystem", d]
        flags += ["-DUSE_C10D_NCCL", "-DCHATBENCH_WITH_CUDA", "-DCHATBENCH_WITH_NCCL"]
    return flags

def rewrite(command, kind, pch_dir):
    """compile_commands' command without its input and output, the 1.13 torch folders replaced."""
    args, out, i = shlex.split(command), [], 1
    while i < len(args):
        a = args[i]
        if a in ("-o", "-c"):
            i += 2
            continue
        if a == "-isystem" and "/torch/csrc/api/include" in args[i + 1]:
            i += 2
            continue
        if a == "-include" and args[i + 1].endswith("cmake_pch.hxx"):
            out += ["-include", os.path.join(pch_dir, pch_name(args[i + 1]))]
            i += 2
            continue
        out.append(a)
        i += 1
    # As the project's CMakeLists.txt does: the standard libtorch asks for when above C++17.
    std = max([17] + [int(n) for n in re.findall(r"CXX_STANDARD (\d+)", torch_config(kind))])
    out = [f"-std=c++{std}" if re.match(r"-std=(c|gnu)\+\+17$", a) else a for a in out]
    return [args[0]] + torch_flags(kind) + out + ["-H"]

def torch_config(kind):
    package = "libtorch-dev" if kind == "cpu" else "libtorch-cuda-dev"
    for path in glob.glob(os.path.join(cache, package, "usr/lib/*/cmake/Torch/TorchConfig.cmake")):
        return open(path).read()
    return ""

def pch_name(path):  # one rebuilt precompiled header per CMake target
    return path.split("/CMakeFiles/")[-1].replace("/", "_")

def compile(args, cwd):
    """(status, headers, messages): status "ok", "warnings" or "FAILED"."""
    r = subprocess.run(args, cwd=cwd, stderr=subprocess.PIPE, text=True)
    lines = r.stderr.split("\n")
    if "Multiple include guards may be useful for:" in lines:
        lines = lines[: lines.index("Multiple include guards may be useful for:")]
    # -H: ". header", ".. header it includes", "! precompiled header used" ("x": not usable).
    listed = [bool(re.match(r"^(\.+|!|x) /", l)) for l in lines]
    headers = [l.lstrip(".!x ") for l, h in zip(lines, listed) if h]
    messages = [l for l, h in zip(lines, listed) if l and not h]
    leaked = [l.lstrip(". ") for l in lines if old_header.match(l)]
    if leaked:
        messages.insert(0, "1.13 header used: " + leaked[0])
    if r.returncode or leaked:
        return "FAILED", headers, messages
    return ("warnings" if any(" warning: " in l for l in messages) else "ok"), headers, messages

def run_pass(kind, sources):
    """{file: (status, messages)} for the files not "ok", and {file: headers included}."""
    pch_dir = os.path.join(work, kind)
    os.makedirs(pch_dir, exist_ok=True)
    bad, included = {}, {}
    # The engine's precompiled header, rebuilt with the 2.x headers (saves ~20 s a file).
    for e in entries:
        hxx = e["file"][: -len(".cxx")]
        if hxx.endswith("cmake_pch.hxx") and any(hxx in f["command"] for f in sources):
            copy = os.path.join(pch_dir, pch_name(hxx))
            with open(hxx) as f, open(copy, "w") as g:
                g.write(f.read())
            args = rewrite(e["command"], kind, pch_dir)  # "-x c++-header -include copy"
            args = [a for a in args if a != "-Winvalid-pch"] + ["-o", copy + ".gch", e["file"]]
            status, _, messages = compile(args, e["directory"])
            if status != "ok":
                bad[hxx] = status, messages

    def one(e):
        args = rewrite(e["command"], kind, pch_dir)
        args += ["-include", guard, "-fsyntax-only", e["file"]]
        return e["file"], compile(args, e["directory"])

    with concurrent.futures.ThreadPoolExecutor(int(jobs)) as pool:
        for n, (path, (status, headers, messages)) in enumerate(pool.map(one, sources), 1):
            rel = os.path.relpath(path, src)
            print(f"[{kind} {n}/{len(sources)}] {rel}: {status}", file=sys.stderr)
            included[path] = headers
            if status != "ok":
                bad[path] = status, messages
    return bad, included

def wants_cuda(path, headers):
    if check_cuda == "all" or any("/distributed/c10d/" in h for h in headers):
        return True
    for p in [path] + [h for h in headers if h.startswith(src + "/")]:
        with open(p, errors="replace") as f:
            if cuda_line.search(f.read()):
                return True
    return False

# Says it once more, in words a reader of the first error understands. After the precompiled
# header: GCC uses one only before the first token.
guard = os.path.join(work, "torch2_guard.h")
with open(guard, "w") as f:
    f.write("#include <torch/version.h>\n"
            "static_assert(TORCH_VERSION_MAJOR >= 2, \"torch 1.x headers in a torch 2 check\");\n")
sources = [e for e in entries if not e["file"].startswith(build + "/")
           and re.search(only, os.path.relpath(e["file"], src))]
bad_cpu, included = run_pass("cpu", sources)
cuda_sources = [e for e in sources if wants_cuda(e["file"], included[e["file"]])]
bad_cuda, _ = run_pass("cuda", cuda_sources)
failures = 0
for kind, n, bad in (("cpu", len(sources), bad_cpu), ("cuda", len(cuda_sources), bad_cuda)):
    failed = sum(1 for status, _ in bad.values() if status == "FAILED")
    failures += failed
    print(f"{kind}: {n} files checked, {failed} failed, {len(bad) - failed} with warnings")
    for path, (status, messages) in sorted(bad.items()):
        first = [l for l in messages if re.search(r" (error|warning): |^1.13 header", l)]
        print(f"  {status} {os.path.relpath(path, src)}: {(first or [''])[0]}")
with_torch = sum(any("/torch/" in h or h.endswith(".gch") for h in hs) for hs in included.values())
print(f"({with_torch} of the {len(sources)} files include torch headers; CUDA pass: "
      + ", ".join(os.path.relpath(e["file"], src) for e in cuda_sources) + ")")
sys.exit(1 if failures else 0)
EOF
