"""The managers' overview: counts by stage per call of the funds they manage and the things
waiting for them (issue #16, item 4). In `reviews` because it counts reviews and councils."""
