"""Jobs: long work (assignment, imports, exports) run by the task queue with progress and cancel."""
