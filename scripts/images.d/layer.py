#!/usr/bin/env python3
"""Docker image tooling for scripts/images, without a Docker daemon.

  layer.py layer DIR OUT.tar        a layer tar of DIR; overlayfs whiteouts (0/0 char devices,
                                    trusted.overlay.opaque=y dirs) become .wh. files (OCI/Docker
                                    layer format). Prints the layer's diff id (sha256:...).
  layer.py config SPEC.json OUT.json CREATED DIFFID...
                                    an image config: SPEC's "config" and "history" plus rootfs
                                    diff ids. Prints the image id (sha256 of the config file).
  layer.py archive OUT|- IMAGE...   a `docker load` archive (docker save format) of several
                                    images, each IMAGE = TAG[,TAG...]=CONFIG.json:LAYER.tar[:LAYER.tar...];
                                    a layer shared by images is stored once.

The layer tars hold numeric owners, modes, mtimes, symlinks, hard links and device nodes;
extended attributes (file capabilities) are not kept.
"""
import hashlib
import json
import os
import stat
import sys
import tarfile


class HashingWriter:
    """A file object that hashes what goes through it."""

    def __init__(self, f):
        self.f = f
        self.h = hashlib.sha256()

    def write(self, b):
        self.h.update(b)
        return self.f.write(b)

    def flush(self):
        self.f.flush()


def opaque(path):
    try:
        return os.getxattr(path, "trusted.overlay.opaque", follow_symlinks=False) == b"y"
    except OSError:
        return False


def make_layer(root, out):
    with open(out, "wb") as raw:
        hw = HashingWriter(raw)
        with tarfile.open(fileobj=hw, mode="w|", format=tarfile.PAX_FORMAT) as tf:
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames.sort()
                rel_dir = os.path.relpath(dirpath, root)
                if rel_dir != "." and opaque(dirpath):
                    ti = tarfile.TarInfo(os.path.join(rel_dir, ".wh..wh..opq"))
                    ti.mtime = int(os.lstat(dirpath).st_mtime)
                    tf.addfile(ti)
                names = sorted(dirnames + filenames)
                for name in names:
                    path = os.path.join(dirpath, name)
                    arc = os.path.normpath(os.path.join(rel_dir, name))
                    st = os.lstat(path)
                    if stat.S_ISCHR(st.st_mode) and st.st_rdev == 0:
                        # overlayfs whiteout: the file was deleted in this layer
                        ti = tarfile.TarInfo(os.path.join(os.path.dirname(arc), ".wh." + name))
                        ti.mtime = int(st.st_mtime)
                        tf.addfile(ti)
                        continue
                    ti = tf.gettarinfo(path, arcname=arc)
                    if ti is None:  # a socket: not part of an image
                        continue
                    ti.uname = ti.gname = ""
                    if ti.isreg():
                        with open(path, "rb") as f:
                            tf.addfile(ti, f)
                    else:
                        tf.addfile(ti)
        print("sha256:" + hw.h.hexdigest())


def make_config(spec_path, out, created, diff_ids):
    with open(spec_path) as f:
        spec = json.load(f)
    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": created,
        "config": spec.get("config", {}),
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": spec.get("history", [{"created": created, "created_by": "scripts/images"}] * len(diff_ids)),
    }
    data = json.dumps(config, sort_keys=True, separators=(",", ":")).encode()
    with open(out, "wb") as f:
        f.write(data)
    print("sha256:" + hashlib.sha256(data).hexdigest())


def make_archive(out, images):
    raw = sys.stdout.buffer if out == "-" else open(out, "wb")
    manifest = []
    stored = set()
    with tarfile.open(fileobj=raw, mode="w|", format=tarfile.PAX_FORMAT) as tf:
        for image in images:
            tags, rest = image.split("=", 1)
            parts = rest.split(":")
            config, layers = parts[0], parts[1:]
            with open(config, "rb") as f:
                data = f.read()
            image_id = hashlib.sha256(data).hexdigest()
            diff_ids = json.loads(data)["rootfs"]["diff_ids"]
            if len(diff_ids) != len(layers):
                sys.exit(f"{config}: {len(diff_ids)} diff ids but {len(layers)} layers given")
            names = []
            for diff_id, layer in zip(diff_ids, layers):
                name = diff_id.split(":", 1)[1] + "/layer.tar"
                if name not in stored:
                    ti = tf.gettarinfo(layer, arcname=name)
                    ti.uid = ti.gid = 0
                    ti.uname = ti.gname = ""
                    with open(layer, "rb") as f:
                        tf.addfile(ti, f)
                    stored.add(name)
                names.append(name)
            cfg_name = image_id + ".json"
            if cfg_name not in stored:
                add_bytes(tf, cfg_name, data)
                stored.add(cfg_name)
            manifest.append({"Config": cfg_name, "RepoTags": tags.split(","), "Layers": names})
        add_bytes(tf, "manifest.json", json.dumps(manifest).encode())
    if raw is not sys.stdout.buffer:
        raw.close()


def add_bytes(tf, name, data):
    import io

    ti = tarfile.TarInfo(name)
    ti.size = len(data)
    ti.mode = 0o644
    tf.addfile(ti, io.BytesIO(data))


def main(argv):
    if len(argv) >= 3 and argv[0] == "layer":
        make_layer(argv[1], argv[2])
    elif len(argv) >= 4 and argv[0] == "config":
        make_config(argv[1], argv[2], argv[3], argv[4:])
    elif len(argv) >= 3 and argv[0] == "archive":
        make_archive(argv[1], argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
