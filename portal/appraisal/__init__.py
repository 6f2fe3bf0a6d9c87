"""Pages of the appraisal of a funded proposal (appraisers, the PI, the manager)."""
