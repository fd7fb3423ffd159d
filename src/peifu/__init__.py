"""Peifu (赔付): after-sales, refund, dispute and compensation engine for online marketplaces."""

__version__ = "0.1.0"
