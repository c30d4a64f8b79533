"""Voice changer: pitch and formant shifted independently, live or offline.

The chain is one streaming engine (:mod:`avatarlink.voice.stream`) used both
for the microphone (:mod:`.live`) and for files (:mod:`.offline`), so what a
user hears live is what a file render produces. Presets draw their exact
parameters at random once per session so that knowing the preset does not
give its inverse (:mod:`.presets`).
"""
