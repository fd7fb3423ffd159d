"""Complaint triage (投诉分诊): which after-sale reason a buyer's free text is about.

An adapter around scikit-learn and jieba, outside the domain. `text` normalises simplified,
traditional and English text; `model` fits, stores and loads the reason classifier; `evaluate`
measures it on held-out data. The rules (case type, priority) are in `peifu.domain.triage`, the
service (`triage`, storing results on cases, queue ordering) in `peifu.services.triage`.
"""
