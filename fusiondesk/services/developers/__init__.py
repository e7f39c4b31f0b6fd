"""The citizen developer record: certifications per platform, solutions delivered, recognition."""
