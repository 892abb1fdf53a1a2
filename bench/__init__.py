"""Benchmarks of lesson_kit side by side with its peers (fastai 2.8, plain PyTorch, curl, tar, physical limits).

Run `make bench` (or `python -m bench [--case NAME] [--pairs N] [--quick]`); results go to BENCHMARKS.md.
"""
