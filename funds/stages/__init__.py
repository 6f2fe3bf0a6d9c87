"""Two-stage calls: a pre-proposal (outline) first, a full proposal by invitation."""
