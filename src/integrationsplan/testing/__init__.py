"""Public test support for applications and plugins built on integrationsplan.

* ``strategies``: Hypothesis strategies for every domain
  type, for changes and for whole plan histories;
* ``storage``: the storage conformance suite (pytest test
  classes and a Hypothesis state machine) that any store can run.

Install with ``pip install "integrationsplan[testing]"`` (Hypothesis and pytest).
"""
