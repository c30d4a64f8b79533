"""Procedural builder for avatarlink's Memoji-like characters.

A character is a face *rig*: a few dozen named parameters (corner lift, lid
edge angle, jaw drop, ...) drive pure geometry functions. Each ARKit shape is
a small set of parameter changes; its morph target is the geometry at those
parameters minus the geometry at rest, so every target is exactly what the rig
does and the build is deterministic.
"""
