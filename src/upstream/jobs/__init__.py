"""Jobs: every command, pipeline step and the demo, on the floor above what they orchestrate.

A job may call the pure core (synth, insight, identify, economics) and then publish into the
Django apps, so the core never learns that Django exists. See docs/architecture.md.
"""
