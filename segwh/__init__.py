"""Customer-segmentation warehouse helpers: the raw-data generator (``segwh.generate``)."""
