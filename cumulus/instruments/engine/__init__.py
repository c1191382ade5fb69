"""The instrument engine: definitions as data, checked and scored in pure Python (no Django).

Modules: ``definition`` (load, JSON Schema and reference checks), ``scoring`` (clean responses,
apply rules), ``registry`` (shipped definitions plus licensed packs), ``compare`` (change over
repeat assessments, SVG chart), ``genogram`` (SVG family tree from people and relationships).
"""
