"""Minutes (biên bản) of council meetings and the fund's decisions that cite them: versions,
sign-off, the selection decision, the host's self-evaluation and acceptance or mid-term stop
following the council."""
