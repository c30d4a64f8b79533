"""The running product: source -> tracker -> idle animator -> renderer -> sinks.

``live`` overlaps the stages in threads for `avatarlink run`; ``offline``
renders every frame of a file for `avatarlink render`; ``idle`` keeps the
character calm and alive whenever no face is tracked (fail closed); ``sinks``
are the places a rendered character goes (window, virtual camera, video file).
Camera pixels stop at the tracker: every later stage sees only FaceFrames.
"""
