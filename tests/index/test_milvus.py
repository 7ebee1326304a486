"""The Milvus backend (a real milvus-lite database) answers like FAISS flat on the bundled corpus."""
import shutil

from policyqa.index.build import build
from policyqa.index.search import load_searcher

QUERIES = ["产业大脑是什么？", "tax credit for safety equipment", "強化重點行業本質安全",
           "pilot cities for China Manufacturing 2025", "绿色工厂", "How will SMEs be supported?"]


def test_milvus_matches_faiss_flat(config, built, searcher, encoder, tmp_path):
    data = tmp_path / "var"
    shutil.copytree(config.data_dir, data)  # the embedding cache comes along: nothing is re-embedded
    shutil.rmtree(data / "index")
    cfg = config.replace(data_dir=data, vector_backend="milvus")
    report = build(cfg, encoder=encoder, progress=False)
    assert report.backend == "milvus" and report.embedded == 0
    milvus = load_searcher(cfg, encoder=encoder)
    assert type(milvus.vectors).__name__ == "MilvusIndex"
    overlaps = []
    for q in QUERIES:
        a = [h.unit.clause_id for h in searcher.search(q, top_k=10, mode="dense").hits]
        b = [h.unit.clause_id for h in milvus.search(q, top_k=10, mode="dense").hits]
        overlaps.append(len(set(a) & set(b)) / 10)
        assert a[0] == b[0], q
    assert min(overlaps) >= 0.9, overlaps
