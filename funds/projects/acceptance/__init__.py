"""Acceptance of a project's results, first step: the host organisation's own self-evaluation
(Law 29/2013/QH13 Art. 37; Circular 11/2014/TT-BKHCN), before the acceptance council meets."""
