"""Stage 3: vectors and text to ranked clauses (FAISS, Chinese-aware BM25, fusion, Milvus)."""
