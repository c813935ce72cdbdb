"""Supervised sessions: pupils use AI only inside a session a teacher opened for them (pupil AUP).

`service.pupil_access` is the one answer to "is this pupil in an active session for this tool now?".
"""
