"""The newspaper's model: article files, issues and pages, the catalogue, addresses, corrections, dates."""
