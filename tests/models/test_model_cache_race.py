"""Making the query model while another process or thread makes it too: each works on files
of its own, so both finish and the cache holds one whole model and nothing else."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import onnx
import onnxruntime
from onnx import TensorProto, helper, numpy_helper

from assistant.models.minilm import quantize_onnx

WIDTH = 64


def small_model(path: Path) -> Path:
    """An ONNX graph with one matrix product, enough for the quantizer to work on."""
    weights = np.random.default_rng(0).standard_normal((WIDTH, WIDTH)).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["y"])],
        "small",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, WIDTH])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, WIDTH])],
        [numpy_helper.from_array(weights, "w")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, str(path))
    return path


def test_quantizing_at_once_in_several_threads_leaves_one_whole_model(tmp_path: Path) -> None:
    exported = small_model(tmp_path / "model.onnx")
    target = tmp_path / "model-int8-v1.onnx"
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def make() -> None:
        start.wait()
        try:
            for _ in range(5):
                quantize_onnx(exported, target)
        except BaseException as exc:  # noqa: BLE001  # any failure fails the test below
            errors.append(exc)

    threads = [threading.Thread(target=make) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model-int8-v1.onnx", "model.onnx"]
    session = onnxruntime.InferenceSession(str(target), providers=["CPUExecutionProvider"])
    x = np.ones((1, WIDTH), dtype=np.float32)
    (y,) = session.run(None, {"x": x})
    assert y.shape == (1, WIDTH)
    assert any(n.op_type != "MatMul" for n in onnx.load(str(target)).graph.node)
