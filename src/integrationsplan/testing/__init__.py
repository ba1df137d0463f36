"""Public test support for applications and plugins built on integrationsplan.

``integrationsplan.testing.strategies`` holds Hypothesis strategies for every domain
type (install the ``testing`` extra). Later releases add the storage conformance suite
here.
"""
