"""The embedded workspace store: one GeoPackage with versioned schema, audit and locks."""
