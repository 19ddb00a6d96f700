"""Static-site generator for Chinese government information disclosure (政务公开)."""
