"""The Engagement Playbook: coaching exercises as YAML, rendered into a static site."""

__version__ = "0.1.0"
