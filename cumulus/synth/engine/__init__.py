"""The synthetic partnership engine: pure numpy and pyarrow, no Django.

``generate(config)`` returns a ``Partnership`` of Arrow tables whose shapes are fixed in
``schema.py``; ``cumulus.synth.loader`` puts them into the database and ``write_parquet`` into
files. Every random draw comes from one seeded ``numpy.random.Generator`` per component, so
the same seed gives the same bytes.
"""
