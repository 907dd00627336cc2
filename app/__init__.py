"""Taizhang (台账): the key-project ledger of the Jilin joint conference office."""

__version__ = "0.1.0"
