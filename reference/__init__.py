"""Reference data that loaders/ and graph/ both use (the gazetteer of administrative divisions)."""
