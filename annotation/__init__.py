"""Label Studio config, task import/export and the retraining loop (arrives with the annotation issue)."""
