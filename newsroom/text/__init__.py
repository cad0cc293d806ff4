"""Chinese text analysis: segmentation, keywords, topics, districts, bylines, related articles, summaries, slugs. Uses nothing else of newsroom."""
