"""The CIFAR-10 reader: real file layout, Python 3 pickles, malicious and broken files.

The real batches were written by Python 2's cPickle (protocol 2): str keys as SHORT_BINSTRING,
the images as numpy.core.multiarray._reconstruct with a BINSTRING of 30,720,000 bytes, the
labels as a list of ints appended in groups of 1000. _py2_pickle writes that layout.
Nothing here is ever unpickled: writing pickles is fine, reading goes through the safe reader.
"""

import os
import pickle
import pickletools
import struct

import numpy as np
import pytest

from gradlab.core.cnn import DatasetError, default_config
from gradlab.core.cnn.cifar import CIFAR_FILES, read_batch, read_cifar10, safe_load_pickle
from gradlab.core.cnn.datasets import load_dataset

NAMES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


class _Py2Pickler:
    """Emit the byte layout of Python 2 cPickle protocol 2 for the types the batches hold."""

    def __init__(self):
        self.out, self.memo = bytearray(b"\x80\x02"), 0

    def put(self):
        self.memo += 1
        self.out += (
            b"q" + bytes([self.memo]) if self.memo < 256 else b"r" + struct.pack("<I", self.memo)
        )

    def dump(self, obj):
        out = self.out
        if isinstance(obj, dict):
            out += b"}"
            self.put()
            out += b"("
            for k, v in obj.items():
                self.dump(k)
                self.dump(v)
            out += b"u"
        elif isinstance(obj, list):
            out += b"]"
            self.put()
            for start in range(0, len(obj), 1000):  # cPickle appends in batches of 1000
                out += b"("
                for v in obj[start : start + 1000]:
                    self.dump(v)
                out += b"e"
        elif isinstance(obj, bytes):
            if len(obj) < 256:
                out += b"U" + bytes([len(obj)]) + obj
            else:
                out += b"T" + struct.pack("<i", len(obj)) + obj
            self.put()
        elif isinstance(obj, int):
            if obj < 256:
                out += b"K" + bytes([obj])
            elif obj < 65536:
                out += b"M" + struct.pack("<H", obj)
            else:
                out += b"J" + struct.pack("<i", obj)
        elif isinstance(obj, np.ndarray):
            out += b"cnumpy.core.multiarray\n_reconstruct\n"
            self.put()
            out += b"cnumpy\nndarray\n"
            self.put()
            out += b"K\x00\x85U\x01b\x87R"
            self.put()
            out += b"(K\x01"
            for n in obj.shape:
                self.dump(n)
            out += b"\x86cnumpy\ndtype\n"
            self.put()
            out += b"U\x02u1K\x00K\x01\x87R"
            self.put()
            out += b"(K\x03U\x01|NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tb\x89"
            self.dump(obj.tobytes())
            out += b"tb"
        else:
            raise TypeError(type(obj))

    def result(self):
        return bytes(self.out + b".")


def _py2_pickle(obj):
    pickler = _Py2Pickler()
    pickler.dump(obj)
    data = pickler.result()
    with open(os.devnull, "w") as sink:
        pickletools.dis(data, out=sink)  # a well-formed pickle (this does not execute it)
    return data


def _batch(n, seed, label):
    rng = np.random.default_rng(seed)
    return {
        b"batch_label": label.encode(),
        b"labels": [int(v) for v in rng.integers(0, 10, n)],
        b"data": rng.integers(0, 256, (n, 3072), dtype=np.uint8),
        b"filenames": [f"img_{seed}_{i}.png".encode() for i in range(n)],
    }


def _write_folder(folder, n=20, dumps=_py2_pickle):
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(1, 6):
        (folder / f"data_batch_{i}").write_bytes(dumps(_batch(n, i, f"training batch {i} of 5")))
    (folder / "test_batch").write_bytes(dumps(_batch(n, 9, "testing batch 1 of 1")))
    meta = {
        b"num_cases_per_batch": n,
        b"label_names": [s.encode() for s in NAMES],
        b"num_vis": 3072,
    }
    (folder / "batches.meta").write_bytes(dumps(meta))
    return folder


def test_reads_the_real_python2_layout(tmp_path):
    folder = _write_folder(tmp_path / "cifar-10-batches-py", n=1200)  # > 1000: two APPENDS
    batch = _batch(1200, 1, "x")
    images, labels = read_batch(folder / "data_batch_1")
    assert images.shape == (1200, 3, 32, 32) and images.dtype == np.uint8
    assert np.array_equal(images.reshape(1200, 3072), batch[b"data"])
    assert labels.tolist() == batch[b"labels"]
    train_x, train_y, test_x, test_y, names = read_cifar10(tmp_path)  # finds the subfolder
    assert train_x.shape == (6000, 3, 32, 32) and test_x.shape == (1200, 3, 32, 32)
    assert train_y[:1200].tolist() == batch[b"labels"] and len(test_y) == 1200
    assert names == tuple(NAMES)
    # the image layout: the first 1024 numbers are the red plane, row by row
    assert np.array_equal(train_x[0, 0].ravel(), batch[b"data"][0, :1024])


@pytest.mark.parametrize("protocol", [2, 4, 5])
def test_reads_python3_pickles(tmp_path, protocol):
    folder = _write_folder(tmp_path, dumps=lambda o: pickle.dumps(o, protocol=protocol))
    images, labels = read_batch(folder / "test_batch")
    assert np.array_equal(images.reshape(20, 3072), _batch(20, 9, "x")[b"data"])
    assert labels.tolist() == _batch(20, 9, "x")[b"labels"]


def test_dataset_and_session_on_a_synthetic_folder(tmp_path):
    from gradlab.core.cnn.session import CnnSession

    _write_folder(tmp_path)
    config = default_config("cifar10", data_dir=str(tmp_path), epochs=1, batch_size=32)
    data = load_dataset(config)
    assert (data.n_train, data.n_val, data.in_channels) == (100, 20, 3)
    assert data.class_names == tuple(NAMES) and data.class_names_zh[0] == "飞机"
    session = CnnSession(config)
    session.advance(1000)
    assert session.status == "finished" and session.step_count == 4
    assert session.results().confusion.sum() == 20


class _Evil:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_malicious_pickle_is_rejected_without_running(tmp_path):
    marker = tmp_path / "ran"
    for protocol in (0, 2, 4):
        path = tmp_path / f"data_batch_{protocol}"
        path.write_bytes(pickle.dumps({b"data": _Evil(marker), b"labels": []}, protocol=protocol))
        with pytest.raises(DatasetError) as info:
            safe_load_pickle(path)
        assert "not loaded" in str(info.value) or "never contains" in str(info.value)
    assert not marker.exists()
    path = tmp_path / "eval"
    path.write_bytes(b"\x80\x02cbuiltins\neval\nX\x04\x00\x00\x001+1\x85R.")
    with pytest.raises(DatasetError, match=r"builtins\.eval"):
        safe_load_pickle(path)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "ends too early"),
        (b"\x80\x02}q\x01(U\x04dataq\x02", "ends too early"),  # cut off
        (b"\x00\x01garbage", "opcode"),
        (b"\x80\x02hello", "never stored"),  # BINGET of nothing
        (b"\x80\x02]q\x01.", "does not hold a dictionary"),
        (b"\x80\x02}q\x01.", "has no data or labels entry"),
    ],
)
def test_broken_files_give_clear_errors(tmp_path, content, words):
    path = tmp_path / "data_batch_1"
    path.write_bytes(content)
    with pytest.raises(DatasetError, match=words):
        read_batch(path)


def test_wrong_or_incomplete_folders(tmp_path):
    with pytest.raises(DatasetError, match="does not exist"):
        read_cifar10(tmp_path / "nope")
    _write_folder(tmp_path)
    (tmp_path / "data_batch_3").unlink()
    (tmp_path / "test_batch").unlink()
    with pytest.raises(DatasetError) as info:
        read_cifar10(tmp_path)
    message = str(info.value)
    assert "missing data_batch_3, test_batch" in message and "python version" not in message
    binary = tmp_path / "bin"
    binary.mkdir()
    (binary / "data_batch_1.bin").write_bytes(b"\0")
    with pytest.raises(DatasetError, match="binary version"):
        read_cifar10(binary)
    assert len(CIFAR_FILES) == 7


def test_labels_out_of_range_are_rejected(tmp_path):
    batch = _batch(4, 1, "x")
    batch[b"labels"][0] = 12
    path = tmp_path / "data_batch_1"
    path.write_bytes(_py2_pickle(batch))
    with pytest.raises(DatasetError, match=r"0\.\.9"):
        read_batch(path)


def test_session_reports_a_bad_file_as_failed(tmp_path):
    from gradlab.core.cnn.session import CnnSession

    _write_folder(tmp_path)
    (tmp_path / "data_batch_2").write_bytes(b"\x80\x02cos\nsystem\n.")
    session = CnnSession(default_config("cifar10", data_dir=str(tmp_path)))
    session.advance(10)
    assert session.done and session.status == "failed"
    assert "data_batch_2" in (session.error or "") and "os.system" in (session.error or "")
    assert session.drain().error == session.error
