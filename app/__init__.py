"""Taizhang (台账): the key-project ledger of the Jilin joint conference office."""
