"""Test helpers shared by every app's tests: factory_boy factories of the domain model."""
