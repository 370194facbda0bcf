"""ZenBrain's benchmarks (`python -m benchmarks run …`, docs/BENCHMARKS.md).

Importing any of them first runs this: the benchmarks run offline (no model hub, no Chroma
telemetry), and these must be set before sentence-transformers or chromadb is imported. A value
the caller already set wins.
"""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
